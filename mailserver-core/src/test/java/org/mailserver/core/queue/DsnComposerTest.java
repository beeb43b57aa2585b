package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsnComposerTest {
    static final byte[] ORIGINAL = "From: a@x.test\r\nSubject: secret plans\r\n\r\nthe body itself\r\n".getBytes(StandardCharsets.US_ASCII);

    static String compose(String ret, long limit, DsnComposer.Kind kind) throws Exception {
        Envelope env = new Envelope("a@x.test", List.of(new Envelope.Recipient("b@y.test", "rfc822;B@y.test", null)), null, ret,
            "7BIT", false, null, null, null, Instant.parse("2026-01-01T00:00:00Z"));
        byte[] dsn = new DsnComposer("mx.x.test").compose(kind, "ID1", env,
            List.of(new DsnComposer.Entry("b@y.test", "rfc822;B@y.test", "5.1.1", "host mx.y.test[192.0.2.1]:25 said: 550 5.1.1 no",
                "mx.y.test")), new ByteArrayInputStream(ORIGINAL), ORIGINAL.length, limit, Instant.now(), Instant.now());
        return new String(dsn, StandardCharsets.UTF_8);
    }

    @Test
    void retHdrsReturnsOnlyTheHeaders() throws Exception {
        String dsn = compose("HDRS", 50_000, DsnComposer.Kind.FAILURE);
        assertTrue(dsn.contains("Content-Type: text/rfc822-headers"));
        assertTrue(dsn.contains("Subject: secret plans"));
        assertFalse(dsn.contains("the body itself"));
    }

    @Test
    void fullMessageByDefaultUnlessOverTheBounceSizeLimit() throws Exception {
        String full = compose(null, 50_000, DsnComposer.Kind.FAILURE);
        assertTrue(full.contains("Content-Type: message/rfc822") && full.contains("the body itself"));
        String tooBig = compose("FULL", 10, DsnComposer.Kind.FAILURE);
        assertTrue(tooBig.contains("Content-Type: text/rfc822-headers") && !tooBig.contains("the body itself"));
    }

    @Test
    void reportFieldsFollowRfc3464() throws Exception {
        String dsn = compose(null, 50_000, DsnComposer.Kind.DELAY);
        assertTrue(dsn.contains("Action: delayed"));
        assertTrue(dsn.contains("Original-Recipient: rfc822; B@y.test"));
        assertTrue(dsn.contains("Diagnostic-Code: smtp; 550 5.1.1 no"), "the log prefix is not part of the diagnostic");
        assertTrue(dsn.contains("Will-Retry-Until: "));
        assertTrue(dsn.contains("To: <a@x.test>"));
        assertFalse(dsn.contains("the body itself"), "delay notices carry headers only");
    }
}
