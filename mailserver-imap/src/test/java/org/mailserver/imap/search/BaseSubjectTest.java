package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5256 2.1 base subject extraction, step by step. */
@Timeout(5)
class BaseSubjectTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Lunch|Lunch|false",
        "Re: Lunch|Lunch|true",
        "RE: [list] Re: Fwd: Lunch (fwd)|Lunch|true",
        "Fw: Fwd: re:re: x|x|true",
        "Re[2]: hello|hello|true",
        "Re : spaced colon|spaced colon|true",
        "[fwd: Meeting notes]|Meeting notes|true",
        "[Fwd: Re: [list] deep]|deep|true",
        "[PATCH] fix the parser|fix the parser|false",
        "[PATCH]|[PATCH]|false",
        "[a][b] Re: x|x|true",
        "Reply: not a reply|Reply: not a reply|false",
        "'  Lunch\t  on   Tuesday  '|Lunch on Tuesday|false",
        "=?UTF-8?Q?Re=3A_caf=C3=A9?=|café|true",
        "Lunch (fwd) (fwd)|Lunch|true",
        "Re:|''|true",
    })
    void extractsTheBaseSubject(String subject, String base, boolean reply) {
        BaseSubject b = BaseSubject.of(subject);
        assertEquals(base, b.base());
        assertEquals(reply, b.isReplyOrForward());
    }

    @org.junit.jupiter.api.Test
    void missingSubjectIsEmpty() {
        assertEquals("", BaseSubject.of(null).base());
    }
}
