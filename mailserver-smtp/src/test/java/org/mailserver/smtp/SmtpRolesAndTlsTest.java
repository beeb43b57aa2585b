package org.mailserver.smtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/** STARTTLS (and the pipelined-injection case), the submission and submissions roles, AUTH (RFC 4954). */
@Timeout(20)
class SmtpRolesAndTlsTest {
    private TestServer server;

    private TestServer start(String service, boolean implicitTls, Map<String, String> extra) {
        Map<String, String> s = TestServer.defaults();
        s.putAll(extra);
        server = new TestServer(new SmtpProtocolHandlerFactory(), service, implicitTls, s);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void startTlsDiscardsPipelinedCommandsAndForgetsEhlo() {
        start("smtp", false, Map.of());
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO client.example.net");
            // CVE-2011-0411: a command sent in clear after STARTTLS must not be executed inside TLS.
            c.raw("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n");
            assertEquals("220 2.0.0 Ready to start TLS", c.read().last());
            c.startTls();
            assertTrue(c.tlsProtocol().startsWith("TLSv1."));
            // Nothing was pipelined into TLS, and the EHLO state was forgotten (RFC 3207 4.2).
            assertEquals("503 5.5.1 Error: send HELO/EHLO first", c.cmd("MAIL FROM:<a@example.net>").last());
            SmtpClient.Reply ehlo = c.cmd("EHLO client.example.net");
            assertFalse(ehlo.text().contains("STARTTLS"));
            assertEquals(554, c.cmd("STARTTLS").code());
            c.cmd("MAIL FROM:<a@example.net>");
            c.cmd("RCPT TO:<alice@example.com>");
            c.cmd("DATA");
            c.raw("Subject: t\r\n\r\nx\r\n.\r\n");
            assertEquals(250, c.read().code());
        }
        String text = server.queue.last().text();
        assertTrue(text.contains("with ESMTPS id"), text);
        assertTrue(text.matches("(?s).*\\(using TLSv1\\.[23] with cipher \\S+ \\(\\d+/\\d+ bits\\)\\).*"), text);
        assertEquals("a@example.net", server.queue.last().envelope().sender());
    }

    @Test
    void submissionRequiresTlsThenAuth() {
        start("submission", false, Map.of());
        try (SmtpClient c = server.client()) {
            c.read();
            SmtpClient.Reply ehlo = c.cmd("EHLO laptop");
            assertFalse(ehlo.text().contains("AUTH"), "no AUTH before TLS: " + ehlo);
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", c.cmd("MAIL FROM:<alice@example.com>").last());
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", c.cmd("AUTH PLAIN " + SmtpClient.plain("alice@example.com", "secret")).last());
            assertEquals(220, c.cmd("STARTTLS").code());
            c.startTls();
            ehlo = c.cmd("EHLO laptop");
            assertTrue(ehlo.text().contains("AUTH PLAIN LOGIN"), ehlo.text());
            // Not authenticated: nothing may be sent, not even to local users.
            c.cmd("MAIL FROM:<alice@example.com>");
            SmtpClient.Reply r = c.cmd("RCPT TO:<bob@example.com>");
            assertEquals(554, r.code(), r.text());
            c.cmd("RSET");
            assertEquals("535 5.7.8 Error: authentication failed", c.cmd("AUTH PLAIN " + SmtpClient.plain("alice@example.com", "wrong")).last());
            assertEquals("235 2.7.0 Authentication successful", c.cmd("AUTH PLAIN " + SmtpClient.plain("alice@example.com", "secret")).last());
            assertEquals("503 5.5.1 Error: already authenticated", c.cmd("AUTH PLAIN " + SmtpClient.plain("alice@example.com", "secret")).last());
            // reject_sender_login_mismatch: alice may not send as bob.
            c.cmd("MAIL FROM:<bob@example.com>");
            assertEquals("553 5.7.1 <bob@example.com>: Sender address rejected: not owned by user alice@example.com",
                c.cmd("RCPT TO:<friend@elsewhere.example>").last());
            c.cmd("RSET");
            c.cmd("MAIL FROM:<alice@example.com>");
            assertEquals(250, c.cmd("RCPT TO:<friend@elsewhere.example>").code(), "authenticated users relay");
            c.cmd("DATA");
            c.raw("Subject: from alice\r\n\r\nhello\r\n.\r\n");
            assertEquals(250, c.read().code());
        }
        String text = server.queue.last().text();
        assertTrue(text.contains("with ESMTPSA id"), text);
        assertTrue(text.contains("\r\nMessage-ID: <"), "Message-ID added for an authenticated submission: " + text);
        assertTrue(text.contains("\r\nDate: "), text);
        assertEquals("alice@example.com", server.queue.last().envelope().authUser());
    }

    @Test
    void authLoginWithChallengesAndCancel() {
        start("submissions", true, Map.of());
        try (SmtpClient c = SmtpClient.connectTls(server.port())) {
            assertEquals(220, c.read().code());
            assertTrue(c.cmd("EHLO laptop").text().contains("AUTH PLAIN LOGIN"));
            assertEquals("334 VXNlcm5hbWU6", c.cmd("AUTH LOGIN").last());
            assertEquals("501 5.7.0 Authentication aborted", c.cmd("*").last());
            assertEquals("504 5.5.4 Unsupported authentication mechanism", c.cmd("AUTH CRAM-MD5").last());
            assertEquals(334, c.cmd("AUTH LOGIN").code());
            assertEquals(501, c.cmd("!!!notbase64").code());
            assertEquals(334, c.cmd("AUTH PLAIN").code());
            assertEquals(235, c.cmd(SmtpClient.plain("bob@example.com", "hunter2")).code());
            c.cmd("MAIL FROM:<bob@example.com>");
            assertEquals(250, c.cmd("RCPT TO:<alice@example.com>").code());
        }
    }

    @Test
    void submissionsWithoutAuthIsRefused() {
        start("submissions", true, Map.of());
        try (SmtpClient c = SmtpClient.connectTls(server.port())) {
            c.read();
            c.cmd("EHLO laptop");
            c.cmd("MAIL FROM:<x@example.net>");
            SmtpClient.Reply r = c.cmd("RCPT TO:<alice@example.com>");
            assertEquals("554 5.7.1 <unknown[127.0.0.1]>: Client host rejected: Access denied", r.last());
        }
    }

    @Test
    void mxOffersAuthOnlyWhenConfiguredAndOnlyAfterTls() {
        start("smtp", false, Map.of("smtpd_sasl_auth_enable", "yes"));
        try (SmtpClient c = server.client()) {
            c.read();
            assertFalse(c.cmd("EHLO x.example.net").text().contains("AUTH"));
            assertEquals("538 5.7.11 Encryption required for requested authentication mechanism",
                c.cmd("AUTH PLAIN " + SmtpClient.plain("alice@example.com", "secret")).last());
            c.cmd("STARTTLS");
            c.startTls();
            assertTrue(c.cmd("EHLO x.example.net").text().contains("AUTH PLAIN LOGIN"));
        }
    }
}
