package org.mailserver.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps several end-to-end tests share. */
final class EndToEndTestSupport {
    private EndToEndTestSupport() {
    }

    /** Sends one message over port 25 as a peer MTA would (no AUTH, no TLS); returns the final reply. */
    static String sendOverMx(TestMailServer server, String rcpt, String subject) throws Exception {
        try (RawSmtp smtp = new RawSmtp(server.port("smtp"))) {
            assertTrue(smtp.greeting().startsWith("220 "));
            assertTrue(smtp.send("EHLO mx.remote.test").startsWith("250"));
            assertEquals(250, code(smtp.send("MAIL FROM:<carol@remote.test>")));
            assertEquals(250, code(smtp.send("RCPT TO:<" + rcpt + ">")));
            assertEquals(354, code(smtp.send("DATA")));
            String reply = smtp.data("From: Carol <carol@remote.test>\r\nTo: <" + rcpt + ">\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject + "@remote.test>\r\nDate: Sun, 22 Nov 2026 17:00:00 +0000\r\n\r\n"
                + "Hello over port 25.\r\n");
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
            smtp.send("QUIT");
            return reply;
        }
    }

    static int code(String reply) {
        return Integer.parseInt(reply.substring(0, 3));
    }
}
