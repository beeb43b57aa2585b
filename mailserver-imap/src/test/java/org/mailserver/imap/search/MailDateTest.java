package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class MailDateTest {

    @Test
    void readsCurrentAndObsoleteForms() {
        assertEquals(OffsetDateTime.parse("2026-03-02T10:11:12+01:00"), MailDate.parse("Mon, 2 Mar 2026 10:11:12 +0100"));
        assertEquals(OffsetDateTime.parse("1969-02-13T23:32:00-03:30"),
            MailDate.parse("Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)"));
        assertEquals(OffsetDateTime.parse("1999-01-05T10:00:00-05:00"), MailDate.parse("5 Jan 99 10:00 EST"));
        assertEquals(OffsetDateTime.parse("2003-07-01T10:52:37Z"), MailDate.parse("1 Jul 03 10:52:37 XYZ"), "unknown zone: -0000");
        assertEquals(LocalDate.of(2026, 3, 2), MailDate.writtenDate("Mon, 2 Mar 2026 00:30:00 +0100"));
        assertNull(MailDate.parse("yesterday"));
        assertNull(MailDate.parse("32 Mar 2026 10:00 +0000"));
        assertNull(MailDate.parse(null));
    }
}
