package org.mailserver.smtp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.smtp.testing.Swaks;
import org.mailserver.smtp.testing.TestServer;

/** swaks as the client: MX delivery, relay refusal, submission with STARTTLS + AUTH, pipelining, BDAT-free paths. */
@Timeout(60)
class SwaksInteropTest {
    private TestServer server;

    @BeforeEach
    void needSwaks() {
        Swaks.assumeInstalled();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mxDelivery() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "smtp", false, TestServer.defaults());
        Swaks.Result r = Swaks.run(server.port(), "--from", "someone@example.net", "--to", "alice@example.com",
            "--helo", "client.example.net", "--header", "Subject: swaks mx");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(server.queue.last().text().contains("Subject: swaks mx"));
    }

    @Test
    void mxRelayRefused() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "smtp", false, TestServer.defaults());
        Swaks.Result r = Swaks.run(server.port(), "--from", "someone@example.net", "--to", "victim@elsewhere.example",
            "--helo", "client.example.net");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("554 5.7.1 <victim@elsewhere.example>: Relay access denied"), r.output());
    }

    @Test
    void submissionStartTlsAuthPipelining() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "submission", false, TestServer.defaults());
        Swaks.Result r = Swaks.run(server.port(), "--from", "alice@example.com", "--to", "friend@elsewhere.example",
            "--helo", "laptop.example.net", "--tls", "--auth", "PLAIN", "--auth-user", "alice@example.com",
            "--auth-password", "secret", "--pipeline");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("235 2.7.0 Authentication successful"), r.output());
        assertEquals("alice@example.com", server.queue.last().envelope().authUser());
        // AUTH LOGIN too, and a wrong password is refused.
        r = Swaks.run(server.port(), "--from", "alice@example.com", "--to", "friend@elsewhere.example",
            "--tls", "--auth", "LOGIN", "--auth-user", "alice@example.com", "--auth-password", "nope");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("535 5.7.8"), r.output());
    }

    @Test
    void submissionsWrapperMode() throws Exception {
        server = new TestServer(new SmtpProtocolHandlerFactory(), "submissions", true, TestServer.defaults());
        Swaks.Result r = Swaks.run(server.port(), "--from", "bob@example.com", "--to", "alice@example.com",
            "--tls-on-connect", "--auth", "PLAIN", "--auth-user", "bob@example.com", "--auth-password", "hunter2");
        assertEquals(0, r.exitCode(), r.output());
    }
}
