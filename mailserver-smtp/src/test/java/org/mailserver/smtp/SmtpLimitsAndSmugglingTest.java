package org.mailserver.smtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/** Size limits (RFC 1870), BDAT (RFC 3030), PIPELINING (RFC 2920), smuggling, error limit and deadlines on the wire. */
@Timeout(30)
class SmtpLimitsAndSmugglingTest {
    private TestServer server;

    private TestServer start(Map<String, String> extra) {
        server = TestServer.smtp(extra);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void transaction(SmtpClient c) {
        c.read();
        c.cmd("EHLO client.example.net");
        assertEquals(250, c.cmd("MAIL FROM:<s@example.net>").code());
        assertEquals(250, c.cmd("RCPT TO:<alice@example.com>").code());
    }

    @Test
    void sizeDeclaredTooLargeIsRefusedAtMail() {
        start(Map.of("message_size_limit", "1000"));
        try (SmtpClient c = server.client()) {
            c.read();
            assertTrue(c.cmd("EHLO x.example.net").text().contains("SIZE 1000"));
            assertEquals("552 5.3.4 Message size exceeds fixed limit", c.cmd("MAIL FROM:<s@example.net> SIZE=1001").last());
            assertEquals(501, c.cmd("MAIL FROM:<s@example.net> SIZE=abc").code());
        }
    }

    @Test
    void sizeExceededDuringDataIsRefusedAtTheEnd() {
        start(Map.of("message_size_limit", "1000"));
        try (SmtpClient c = server.client()) {
            transaction(c);
            c.cmd("DATA");
            c.raw("Subject: big\r\n\r\n" + "x".repeat(78).concat("\r\n").repeat(20) + ".\r\n");
            assertEquals("552 5.3.4 Error: message file too big", c.read().last());
            assertEquals(250, c.cmd("NOOP").code(), "the session goes on");
        }
        assertTrue(server.queue.committed.isEmpty());
        assertEquals(1, server.queue.aborted.get());
    }

    @Test
    void bdatChunksAndSizeLimit() {
        start(Map.of("message_size_limit", "100"));
        try (SmtpClient c = server.client()) {
            transaction(c);
            c.raw("BDAT 12\r\nSubject: a\r\n");
            assertEquals("250 2.0.0 Ok: 12 bytes", c.read().last());
            c.raw("BDAT 8 LAST\r\n\r\nbody\r\n");
            assertTrue(c.read().last().startsWith("250 2.0.0 Ok: queued as"));
            // A refused BDAT is still read whole: its bytes are never commands.
            c.raw("BDAT 6\r\nQUIT\r\n");
            assertEquals("503 5.5.1 Error: need MAIL command", c.read().last());
            c.cmd("MAIL FROM:<s@example.net>");
            c.cmd("RCPT TO:<alice@example.com>");
            c.raw("BDAT 120\r\n" + "y".repeat(118) + "\r\n");
            assertEquals("552 5.3.4 Error: message file too big", c.read().last());
            c.raw("BDAT 3 LAST\r\nab\n");
            assertEquals("552 5.3.4 Error: message file too big", c.read().last());
            assertEquals(250, c.cmd("NOOP").code());
        }
        assertEquals(1, server.queue.committed.size());
        assertTrue(server.queue.last().text().endsWith("Subject: a\r\n\r\nbody\r\n"));
    }

    @Test
    void pipelinedGroupIsAnsweredInOrder() {
        start(Map.of());
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO client.example.net");
            c.raw("MAIL FROM:<s@example.net>\r\nRCPT TO:<alice@example.com>\r\nRCPT TO:<nobody@example.com>\r\n"
                + "RCPT TO:<bob@example.com>\r\nDATA\r\n");
            assertEquals(250, c.read().code());
            assertEquals(250, c.read().code());
            assertEquals(550, c.read().code());
            assertEquals(250, c.read().code());
            assertEquals(354, c.read().code());
            c.raw("Subject: p\r\n\r\nx\r\n.\r\nQUIT\r\n");
            assertEquals(250, c.read().code());
            assertEquals(221, c.read().code());
        }
        assertEquals(2, server.queue.last().envelope().recipients().size());
    }

    @Test
    void smugglingAttemptWithBareLfIsRefusedAndDisconnected() {
        start(Map.of());
        try (SmtpClient c = server.client()) {
            transaction(c);
            c.cmd("DATA");
            c.raw("Subject: s\r\n\r\nx\n.\r\nMAIL FROM:<evil@example.net>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nsmuggled\r\n.\r\n");
            assertEquals("550 5.5.2 Error: bare <LF> received", c.read().last());
            assertTrue(c.closedByServer());
        }
        assertTrue(server.queue.committed.isEmpty());
    }

    @Test
    void smugglingInNormalizeModeStaysInsideOneMessage() {
        start(Map.of("smtpd_forbid_bare_newline", "normalize"));
        try (SmtpClient c = server.client()) {
            transaction(c);
            c.cmd("DATA");
            c.raw("Subject: s\r\n\r\nx\n.\r\nMAIL FROM:<evil@example.net>\r\n\r\n.\r\n");
            assertEquals(250, c.read().code());
        }
        assertEquals(1, server.queue.committed.size());
        assertTrue(server.queue.last().text().contains("MAIL FROM:<evil@example.net>"));
    }

    @Test
    void hardErrorLimitDisconnects() {
        start(Map.of("smtpd_hard_error_limit", "3"));
        try (SmtpClient c = server.client()) {
            c.read();
            assertEquals(502, c.cmd("X1").code());
            assertEquals(502, c.cmd("X2").code());
            assertEquals(502, c.cmd("X3").code());
            assertEquals("421 4.7.0 mx.example.org Error: too many errors", c.read().last());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void junkCommandsBeyondTheLimitCountAsErrors() {
        start(Map.of("smtpd_junk_command_limit", "2", "smtpd_hard_error_limit", "2"));
        try (SmtpClient c = server.client()) {
            c.read();
            assertEquals(250, c.cmd("NOOP").code());
            assertEquals(250, c.cmd("RSET").code());
            assertEquals(250, c.cmd("NOOP").code(), "beyond the junk limit: one error");
            assertEquals("421 4.7.0 mx.example.org Error: too many errors", c.cmd("NOOP").last(), "second error: hard limit");
        }
    }

    @Test
    void clientDribblingBytesIsCutOffAtTheFirstCommandDeadline() throws Exception {
        start(Map.of("smtpd_first_command_deadline", "1s"));
        try (SmtpClient c = server.client()) {
            c.read();
            long t0 = System.nanoTime();
            for (char ch : "EHLO slow".toCharArray()) {
                try {
                    c.raw(String.valueOf(ch)); // bytes keep coming, but no complete line
                } catch (java.io.UncheckedIOException closed) {
                    break; // the server hung up on us: what we want
                }
                Thread.sleep(200);
                if (System.nanoTime() - t0 > 2_500_000_000L) {
                    break;
                }
            }
            c.setTimeout(3000);
            assertEquals("421 4.4.2 mx.example.org Error: timeout exceeded", c.read().last());
        }
    }

    @Test
    void nonAsciiAddressNeedsSmtpUtf8() {
        start(Map.of());
        server.auth.user("jörg@example.com", "x");
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO client.example.net");
            assertEquals(553, c.cmd("MAIL FROM:<jörg@example.net>").code());
            assertEquals(250, c.cmd("MAIL FROM:<jörg@example.net> SMTPUTF8").code());
            assertEquals(250, c.cmd("RCPT TO:<jörg@example.com>").code());
            assertEquals("503 5.5.1 Error: MAIL transaction in progress", c.cmd("STARTTLS").last());
            c.cmd("DATA");
            c.raw("Subject: ü\r\n\r\nx\r\n.\r\n");
            assertEquals(250, c.read().code());
        }
        assertTrue(server.queue.last().text().contains("with UTF8SMTP id"), server.queue.last().text());
        assertTrue(server.queue.last().envelope().smtpUtf8());
    }

    @Test
    void recipientLimit() {
        start(Map.of("smtpd_recipient_limit", "2"));
        try (SmtpClient c = server.client()) {
            transaction(c);
            assertEquals(250, c.cmd("RCPT TO:<bob@example.com>").code());
            assertEquals("452 4.5.3 Error: too many recipients", c.cmd("RCPT TO:<alice@example.com>").last());
        }
    }

    @Test
    void tooManyHopsIsALoop() {
        start(Map.of("hopcount_limit", "3"));
        try (SmtpClient c = server.client()) {
            transaction(c);
            c.cmd("DATA");
            c.raw("Received: a\r\nReceived: b\r\nReceived: c\r\n\r\nx\r\n.\r\n");
            assertEquals("554 5.4.6 Error: too many hops", c.read().last());
        }
    }

    @Test
    void commitFailureIsTemporary() {
        start(Map.of());
        server.queue.failCommit = true;
        try (SmtpClient c = server.client()) {
            transaction(c);
            c.cmd("DATA");
            c.raw("Subject: x\r\n\r\nx\r\n.\r\n");
            assertEquals("451 4.3.0 Error: queue file write error", c.read().last());
        }
    }
}
