package org.mailserver.smtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.testing.RecordingQueue;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/** The MX role over the wire: a message for a local user, relay refusal, unknown users, sequence and syntax errors. */
@Timeout(20)
class SmtpBasicsTest {
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

    @Test
    void deliversToLocalUserAndAnswersOnlyAfterCommit() {
        start(Map.of());
        try (SmtpClient c = server.client()) {
            assertEquals(220, c.read().code());
            SmtpClient.Reply ehlo = c.cmd("EHLO client.example.net");
            assertEquals(250, ehlo.code());
            assertTrue(ehlo.text().contains("PIPELINING"));
            assertTrue(ehlo.text().contains("STARTTLS"));
            assertTrue(ehlo.text().contains("CHUNKING"));
            assertFalse(ehlo.text().contains("AUTH"), "no AUTH on the MX role by default");
            assertEquals("250 2.1.0 Ok", c.cmd("MAIL FROM:<sender@example.net>").last());
            assertEquals("250 2.1.5 Ok", c.cmd("RCPT TO:<alice@example.com>").last());
            assertEquals(354, c.cmd("DATA").code());
            c.raw("Subject: hi\r\n\r\nHello\r\n..dot\r\n.\r\n");
            SmtpClient.Reply done = c.read();
            assertEquals(250, done.code());
            assertTrue(done.last().matches("250 2\\.0\\.0 Ok: queued as Q[0-9A-F]+"), done.last());
            assertEquals(221, c.cmd("QUIT").code());
        }
        RecordingQueue.Queued q = server.queue.last();
        assertEquals("sender@example.net", q.envelope().sender());
        assertEquals("alice@example.com", q.envelope().recipients().get(0).address());
        assertEquals("rfc822;alice@example.com", q.envelope().recipients().get(0).orcpt());
        String text = q.text();
        assertTrue(text.startsWith("Received: from client.example.net (unknown [127.0.0.1])\r\n"), text);
        assertTrue(text.contains("by mx.example.org (mailserver) with ESMTP id " + q.id()), text);
        assertTrue(text.endsWith("Subject: hi\r\n\r\nHello\r\n.dot\r\n"), text);
    }

    @Test
    void refusesRelayingForStrangers() {
        start(Map.of());
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO client.example.net");
            c.cmd("MAIL FROM:<sender@example.net>");
            assertEquals("554 5.7.1 <victim@elsewhere.example>: Relay access denied", c.cmd("RCPT TO:<victim@elsewhere.example>").last());
            assertEquals("503 5.5.1 Error: need RCPT command", c.cmd("DATA").last());
        }
        assertTrue(server.queue.committed.isEmpty());
    }

    @Test
    void refusesUnknownLocalUsersAtRcpt() {
        start(Map.of());
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO client.example.net");
            c.cmd("MAIL FROM:<sender@example.net>");
            SmtpClient.Reply r = c.cmd("RCPT TO:<nobody@example.com>");
            assertEquals(550, r.code());
            assertTrue(r.last().startsWith("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown"), r.last());
        }
    }

    @Test
    void enforcesCommandOrderAndSyntax() {
        start(Map.of());
        try (SmtpClient c = server.client()) {
            c.read();
            assertEquals("503 5.5.1 Error: send HELO/EHLO first", c.cmd("MAIL FROM:<a@example.net>").last());
            assertEquals("502 5.5.2 Error: command not recognized", c.cmd("FOO").last());
            assertEquals(501, c.cmd("EHLO").code());
            assertEquals(250, c.cmd("HELO client.example.net").code());
            assertEquals("503 5.5.1 Error: need MAIL command", c.cmd("RCPT TO:<alice@example.com>").last());
            assertEquals(250, c.cmd("MAIL FROM:<>").code());
            assertEquals("503 5.5.1 Error: nested MAIL command", c.cmd("MAIL FROM:<a@example.net>").last());
            assertEquals(501, c.cmd("RCPT TO:<not an address>").code());
            assertEquals("555 5.5.4 Unsupported option: FOO", c.cmd("RCPT TO:<alice@example.com> FOO=1").last());
            assertEquals(250, c.cmd("RSET").code());
            assertEquals("503 5.5.1 Error: need MAIL command", c.cmd("RCPT TO:<alice@example.com>").last());
            assertEquals("502 5.5.1 VRFY command is disabled", c.cmd("VRFY alice").last());
            assertEquals(502, c.cmd("EXPN staff").code());
            assertEquals(250, c.cmd("NOOP").code());
            assertEquals(214, c.cmd("HELP").code());
        }
    }

    @Test
    void recordsDsnParametersInTheEnvelope() {
        start(Map.of());
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO client.example.net");
            assertEquals(250, c.cmd("MAIL FROM:<sender@example.net> RET=HDRS ENVID=abc+2Bdef BODY=8BITMIME SIZE=100").code());
            assertEquals(250, c.cmd("RCPT TO:<alice@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Alice+40example.com").code());
            assertEquals(501, c.cmd("RCPT TO:<bob@example.com> NOTIFY=NEVER,SUCCESS").code());
            c.cmd("DATA");
            c.raw("Subject: dsn\r\n\r\nx\r\n.\r\n");
            assertEquals(250, c.read().code());
        }
        Envelope e = server.queue.last().envelope();
        assertEquals("HDRS", e.ret());
        assertEquals("abc+def", e.envId());
        assertEquals("8BITMIME", e.bodyType());
        assertEquals("SUCCESS,FAILURE", e.recipients().get(0).notifyOn());
        assertEquals("rfc822;Alice@example.com", e.recipients().get(0).orcpt());
    }
}
