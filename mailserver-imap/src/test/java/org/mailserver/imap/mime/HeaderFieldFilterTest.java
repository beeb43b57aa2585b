package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.fetch.ImapStrings;

/**
 * {@link HeaderFieldFilter} gives exactly what {@link Header#parse} plus {@link Header#select} give (the path it
 * replaces for cached HEADER.FIELDS), on real-looking headers and on random bytes made of header punctuation.
 */
@Timeout(20)
class HeaderFieldFilterTest {

    private static final List<String> TB = List.of("From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID",
        "Priority", "X-Priority", "References", "Newsgroups", "In-Reply-To", "Content-Type", "Reply-To");

    private static byte[] viaHeader(byte[] data, List<String> names) {
        return ImapStrings.literal(Header.parse(data, 0, data.length).select(names, false));
    }

    private static void assertSame(String header, List<String> names) {
        byte[] data = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] expected = viaHeader(data, names);
        byte[] actual = HeaderFieldFilter.of(names).literal(data, 0, data.length);
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1), new String(actual, StandardCharsets.ISO_8859_1),
            "for " + header);
    }

    @Test
    void selectsAsHeaderSelectDoes() {
        assertSame("From: a@b\r\nX-Junk: 1\r\nsubject : hi\r\n there\r\nReceived: x\r\n\r\n", TB);
        assertSame("FROM:a\r\nTo:\tb\r\n\tc\r\nDate: now\r\n\r\nbody", TB);
        assertSame("From: no blank line at the end", TB);
        assertSame("From: lf only\nTo: x\n\nbody\n", TB);
        assertSame("no colon line\r\nFrom: a\r\n\r\n", TB);
        assertSame(" leading continuation\r\nFrom: a\r\n\r\n", TB);
        assertSame("", TB);
        assertSame("\r\n", TB);
        assertSame("From: a\r\n\r\n", List.of("from"));
        assertSame("From: a\r\nTo: b\r\n\r\n", List.of());
        assertSame("Fr\u00d6m: a\r\nFrom: b\r\n\r\n", List.of("FRÖM", "from"));
    }

    /** Headers larger than the per-thread scratch (8 KiB, kept up to 64 KiB), then small ones again. */
    @Test
    void largeHeadersThenSmallOnes() {
        for (int size : new int[] {9_000, 70_000, 20_000, 10}) {
            String refs = "References: " + "<x@y> ".repeat(size / 6) + "\r\n";
            assertSame("From: a\r\n" + refs + "Subject: s\r\n\r\n", TB);
            assertSame("From: a\r\n" + refs, TB); // the last field without a line end
        }
    }

    @Test
    void equalsHeaderSelectOnRandomHeaders() {
        Random r = new Random(42);
        String alphabet = "FromTo:cC \t\r\n\u00e9\u00c9\u00d7\u00f7-";
        List<String> names = List.of("From", "To", "cc", "", "t", "\u00e9", "\u00f7", "\u212a");
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(60);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            assertSame(sb.toString(), names);
        }
    }

    @Test
    void servesTheCachedSummary() {
        byte[] head = ("From: a@b\r\nTo: c@d\r\nReceived: by x\r\nSubject: s\r\nX-Other: o\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        HeaderSummary summary = HeaderSummary.of(Header.parse(head, 0, head.length));
        byte[] value = summary.encode();
        byte[] expected = ImapStrings.literal(summary.header().select(TB, false));
        assertArrayEquals(expected, HeaderSummary.headerFieldsLiteral(value, HeaderFieldFilter.of(TB)));
        assertTrue(HeaderFieldFilter.of(TB).coveredByCache());
        assertFalse(HeaderFieldFilter.of(List.of("X-Other")).coveredByCache());
        assertNull(HeaderSummary.headerFieldsLiteral(new byte[] {'H', 0}, HeaderFieldFilter.of(TB)), "malformed value");
    }
}
