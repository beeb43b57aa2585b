package org.mailserver.smtp.outbound.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RFC 8461 policy and TXT parsing, MX pattern matching, the HTTP response checks and the file cache. */
@Timeout(30)
class MtaStsPolicyTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void parsesAPolicyWithCrlfOrLfAndIgnoresUnknownFields() {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
            + "mx: backupmx.example.com\r\nmax_age: 604800\r\nextension: whatever\r\n", "id1", NOW);
        assertEquals(MtaStsPolicy.Mode.ENFORCE, p.mode());
        assertEquals(List.of("mail.example.com", "*.example.net", "backupmx.example.com"), p.mx());
        assertEquals(604800, p.maxAgeSeconds());
        MtaStsPolicy lf = MtaStsPolicy.parse("version: STSv1\nmode: testing\nmx: mx.example.org\nmax_age: 86400\n", "id2", NOW);
        assertEquals(MtaStsPolicy.Mode.TESTING, lf.mode());
        // The first occurrence wins (RFC 8461 3.2).
        assertEquals(MtaStsPolicy.Mode.TESTING, MtaStsPolicy.parse(
            "version: STSv1\nmode: testing\nmode: enforce\nmx: a.test\nmax_age: 1\n", "i", NOW).mode());
        // Round trip through the cache format.
        assertEquals(p.mx(), MtaStsPolicy.parse(p.toBody(), "id1", NOW).mx());
    }

    @Test
    void rejectsWhatASenderMustNotUse() {
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("mode: enforce\nmx: a.test\nmax_age: 10\n", "i", NOW));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv2\nmode: enforce\nmx: a.test\nmax_age: 10\n", "i", NOW));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv1\nmode: strict\nmx: a.test\nmax_age: 10\n", "i", NOW));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.test\n", "i", NOW));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmax_age: 10\n", "i", NOW));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: -5\n", "i", NOW));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.*.test\nmax_age: 5\n", "i", NOW));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("<html>not a policy</html>", "i", NOW));
        // mode none needs no mx; max_age (1*10DIGIT) is capped at one year.
        MtaStsPolicy none = MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 9999999999\n", "i", NOW);
        assertEquals(MtaStsPolicy.MAX_AGE_LIMIT, none.maxAgeSeconds());
    }

    @Test
    void mxPatternsMatchOneLeftmostLabel() {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 60\n", "i", NOW);
        assertTrue(p.matchesMx("mail.example.com"));
        assertTrue(p.matchesMx("MAIL.Example.COM."));
        assertTrue(p.matchesMx("mx1.example.net"));
        assertFalse(p.matchesMx("example.net"), "a wildcard needs a label");
        assertFalse(p.matchesMx("a.b.example.net"), "a wildcard covers one label only (RFC 8461 4.1)");
        assertFalse(p.matchesMx("other.example.com"));
        assertFalse(p.expired(NOW.plusSeconds(59)));
        assertTrue(p.expired(NOW.plusSeconds(61)));
    }

    @Test
    void txtRecordIds() {
        assertEquals("20160831085700Z", MtaStsPolicy.txtId("v=STSv1; id=20160831085700Z;"));
        assertEquals("abc", MtaStsPolicy.txtId("v=STSv1;id=abc"));
        assertNull(MtaStsPolicy.txtId("v=STSv2; id=abc"));
        assertNull(MtaStsPolicy.txtId("id=abc; v=STSv1"));
        assertNull(MtaStsPolicy.txtId("v=STSv1; id=not-alnum!"));
        assertNull(MtaStsPolicy.txtId("v=STSv1;"));
    }

    @Test
    void httpResponseChecks() throws IOException {
        String body = "version: STSv1\r\nmode: testing\r\nmx: a.test\r\nmax_age: 60\r\n";
        assertEquals(body, MtaStsFetcher.parseResponse(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body)
            .getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> MtaStsFetcher.parseResponse(
            "HTTP/1.1 301 Moved\r\nLocation: https://elsewhere/\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> MtaStsFetcher.parseResponse(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> MtaStsFetcher.parseResponse("garbage".getBytes(StandardCharsets.UTF_8)));
        byte[] big = ("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + "x".repeat(MtaStsFetcher.MAX_POLICY_BYTES + 1))
            .getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> MtaStsFetcher.parseResponse(big));
    }

    @Test
    void cacheSurvivesARestartThroughItsFile(@TempDir Path dir) throws IOException {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.org\nmax_age: 86400\n", "id42", NOW);
        new MtaStsCache(dir).put("Example.ORG", p);
        MtaStsPolicy again = new MtaStsCache(dir).get("example.org");
        assertEquals("id42", again.id());
        assertEquals(p.mx(), again.mx());
        assertEquals(NOW, again.fetched());
        assertNull(new MtaStsCache(dir).get("other.org"));
        Files.writeString(dir.resolve("broken.org.policy"), "junk");
        assertNull(new MtaStsCache(dir).get("broken.org"), "an unreadable file is ignored");
        MtaStsCache memoryOnly = new MtaStsCache(dir.resolve("sub"));
        memoryOnly.put("../escape", p);
        assertEquals("id42", memoryOnly.get("../escape").id(), "kept in memory");
        assertFalse(Files.exists(dir.resolve("escape.policy")), "but never written outside the directory");
    }
}
