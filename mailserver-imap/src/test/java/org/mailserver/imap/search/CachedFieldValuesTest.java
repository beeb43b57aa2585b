package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.mime.Header;
import org.mailserver.imap.mime.HeaderSummary;

/** Reading folded values in place from a cached summary gives exactly what decoding and parsing it gives. */
@Timeout(20)
class CachedFieldValuesTest {
    private static final List<String> FIELDS = List.of("Subject", "SUBJECT", "from", "To", "Cc", "Bcc", "Date",
        "Reply-To", "X-Other");

    private static byte[] cacheValue(String header) {
        byte[] raw = header.getBytes(StandardCharsets.UTF_8);
        return HeaderSummary.of(Header.parse(raw, 0, raw.length)).encode();
    }

    /** The reference: the summary decoded, its fields parsed, each value decoded and folded. */
    private static Object expected(byte[] value, String field) {
        return HeaderColumns.fold(HeaderSummary.decode(value).header(), field);
    }

    private static void assertSameValues(String header) {
        byte[] value = cacheValue(header);
        for (String field : FIELDS) {
            Object want = expected(value, field);
            Object got = CachedFieldValues.fold(value, field);
            if (want == null) {
                assertSame(CachedFieldValues.NO_FIELD, got, field + " in " + header);
            } else if (want instanceof String[] a) {
                assertArrayEquals(a, (String[]) got, field + " in " + header);
            } else {
                assertEquals(want, got, field + " in " + header);
            }
        }
    }

    @Test
    void plainFoldedEncodedAndEightBitValuesMatchTheGeneralPath() {
        assertSameValues("From: Anna <anna@Example.org>\r\nSubject: Hello World #7\r\n\r\n");
        assertSameValues("Subject:   \t Padded  and  Folded\r\n\tsecond LINE \r\n  third\r\nTo: a@b\r\n\r\n");
        assertSameValues("Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=\r\n\r\n");
        assertSameValues("Subject: =?iso-8859-1?q?Stra=DFe?= =?utf-8?q?_und_Weg?=\r\n\r\n");
        assertSameValues("Subject: Grüße STRASSE ﬁne\r\n\r\n"); // raw UTF-8 (RFC 6532)
        assertSameValues("Subject: caf\u00e9 Latin-1\r\n\r\n".replace("\u00e9", "\u00e9"));
        assertSameValues("Subject: broken =? word and =?bogus?x?y?= ?=\r\n\r\n");
        assertSameValues("Subject: split =\r\n ?Q?x?=\r\n\r\n");
        assertSameValues("To: one@x\r\nTo: Two <TWO@x>\r\nCc:\r\nTo:   \r\n\r\n");
        assertSameValues("Subject : spaced name\r\nSUBJECT:upper name\r\n\r\n");
        assertSameValues("From: a\nSubject: bare LF\n folded\n\n");
        assertSameValues("Subject: no blank line at the end");
        assertSameValues("\r\n");
    }

    @Test
    void oddLinesAreFieldsOrContinuationsAsHeaderParseSeesThem() {
        byte[] raw = " Subject: leading space\r\nno colon line\r\n continued: Subject\r\nSubject: real\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
        for (String field : FIELDS) {
            Object want = HeaderColumns.fold(Header.parse(raw, 0, raw.length), field);
            Object got = CachedFieldValues.fold(raw, 0, raw.length, field);
            assertEquals(want == null ? CachedFieldValues.NO_FIELD : want, got, field);
        }
    }

    @Test
    void randomHeadersAgreeWithTheGeneralPath() {
        Random rnd = new Random(42);
        String[] pieces = {"Subject", "To", "Cc", "From", "X-Other", ":", " ", "\t", "\r\n", "\n", "\r", "=?", "?=",
            "=?utf-8?b?w6TDtg==?=", "=?utf-8?q?a_b?=", "ABC", "xyz", "ß", "é", "\u00ff", "İ", "?", "=", "\u00e9t\u00e9"};
        for (int n = 0; n < 3000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + rnd.nextInt(25);
            for (int i = 0; i < len; i++) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            byte[] raw = sb.toString().getBytes(rnd.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            for (String field : FIELDS) {
                Object want = HeaderColumns.fold(Header.parse(raw, 0, raw.length), field);
                Object got = CachedFieldValues.fold(raw, 0, raw.length, field);
                if (want instanceof String[] a) {
                    assertArrayEquals(a, (String[]) got, sb.toString());
                } else {
                    assertEquals(want == null ? CachedFieldValues.NO_FIELD : want, got, sb.toString());
                }
            }
        }
    }

    @Test
    void aMalformedCacheValueIsAMiss() {
        assertNull(CachedFieldValues.fold(new byte[] {'X', 1, 2}, "Subject"));
        assertNull(CachedFieldValues.fold(new byte[0], "Subject"));
    }
}
