package org.mailserver.smtp;

import static org.junit.jupiter.api.Assertions.*;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/** A real client (Jakarta Mail / Angus) against the MX, submission (STARTTLS + AUTH) and submissions roles. */
@Timeout(30)
class JakartaMailInteropTest {
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Session session(Properties p) {
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(server.port()));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        p.put("mail.smtp.localhost", "client.example.net");
        return Session.getInstance(p);
    }

    private static MimeMessage message(Session s, String from, String to, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("Hello from Jakarta Mail.\n.leading dot\n");
        return m;
    }

    @Test
    void mxAcceptsLocalMail() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "smtp", false, TestServer.defaults());
        Session s = session(new Properties());
        Transport.send(message(s, "someone@example.net", "alice@example.com", "mx"));
        String text = server.queue.last().text();
        assertTrue(text.contains("Subject: mx"));
        assertTrue(text.contains("\r\n.leading dot\r\n"), "dot-stuffing round trip: " + text);
    }

    @Test
    void mxRefusesRelay() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "smtp", false, TestServer.defaults());
        Session s = session(new Properties());
        MessagingException e = assertThrows(MessagingException.class,
            () -> Transport.send(message(s, "someone@example.net", "victim@elsewhere.example", "relay")));
        assertTrue(String.valueOf(e.getNextException()).contains("Relay access denied") || e.getMessage().contains("Relay access denied")
            || String.valueOf(e.getCause()).contains("Relay access denied"), e.toString());
        assertTrue(server.queue.committed.isEmpty());
    }

    @Test
    void submissionWithStartTlsAndAuth() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "submission", false, TestServer.defaults());
        Properties p = new Properties();
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.socketFactory", SmtpClient.trustAll().getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        Session s = session(p);
        Transport.send(message(s, "alice@example.com", "friend@elsewhere.example", "submitted"), "alice@example.com", "secret");
        var q = server.queue.last();
        assertEquals("alice@example.com", q.envelope().authUser());
        assertEquals("friend@elsewhere.example", q.envelope().recipients().get(0).address());
        assertTrue(q.text().contains("with ESMTPSA id"), q.text());
    }

    @Test
    void submissionsImplicitTls() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "submissions", true, TestServer.defaults());
        Properties p = new Properties();
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.socketFactory", SmtpClient.trustAll().getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        Session s = session(p);
        Transport.send(message(s, "bob@example.com", "alice@example.com", "465"), "bob@example.com", "hunter2");
        assertEquals("bob@example.com", server.queue.last().envelope().authUser());
        MessagingException e = assertThrows(MessagingException.class,
            () -> Transport.send(message(s, "bob@example.com", "alice@example.com", "465"), "bob@example.com", "wrong"));
        assertNotNull(e);
    }

    @Test
    void bigMessageOverTheLimitIsRefused() throws Exception {
        Map<String, String> settings = TestServer.defaults();
        settings.put("message_size_limit", "20000");
        server = new TestServer(new SmtpProtocolHandlerFactory(), "smtp", false, settings);
        Session s = session(new Properties());
        MimeMessage m = message(s, "someone@example.net", "alice@example.com", "big");
        m.setText("x".repeat(70).concat("\n").repeat(400));
        assertThrows(MessagingException.class, () -> Transport.send(m));
        assertTrue(server.queue.committed.isEmpty());
    }
}
