package org.mailserver.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailserver.dist.e2e.TestMailServer.ALICE;
import static org.mailserver.dist.e2e.TestMailServer.ALICE_PASSWORD;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound end to end: a user submits over 587, the queue hands the message to the SMTP client, which
 * delivers it to GreenMail as {@code relayhost}; a recipient refused by the remote MX with 550 comes back
 * as an RFC 3464 bounce in the sender's own Maildir, delivered locally by the same queue.
 */
@Timeout(60)
class OutboundEndToEndTest {
    @TempDir
    Path dir;
    GreenMail remote;
    RefusingSmtpPeer refuser;
    TestMailServer server;

    @BeforeEach
    void start() throws Exception {
        remote = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        remote.start();
        refuser = new RefusingSmtpPeer();
        server = TestMailServer.configure(dir, Map.of(),
            "relayhost = [127.0.0.1]:" + remote.getSmtp().getPort() + "\n"
                + "transport_maps = inline:{ refused.test=smtp:[127.0.0.1]:" + refuser.port() + " }\n").start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        refuser.close();
        remote.stop();
    }

    @Test
    void submittedMailForARemoteDomainReachesTheRelayhost() throws Exception {
        MailClients.submit(server, "submission", ALICE, ALICE_PASSWORD, "dave@remote.test", "outbound-1", "To the world.\n");
        assertTrue(remote.waitForIncomingEmail(10_000, 1), "GreenMail received nothing");
        MimeMessage got = remote.getReceivedMessages()[0];
        assertEquals("outbound-1", got.getSubject());
        assertEquals("dave@remote.test", got.getAllRecipients()[0].toString());
        // GreenMail prepends its own Received line; ours, with the authenticated submission, is below it.
        assertTrue(java.util.Arrays.stream(got.getHeader("Received")).anyMatch(r -> r.contains("by mail.example.test")
            && r.contains("with ESMTPSA")), String.join(" | ", got.getHeader("Received")));
        TestMailServer.await("an empty queue", Duration.ofSeconds(10), () -> queued() == 0);
    }

    @Test
    void aRecipientRefusedByTheRemoteMxBouncesIntoTheSendersMaildir() throws Exception {
        MailClients.submit(server, "submission", ALICE, ALICE_PASSWORD, "nobody@refused.test", "doomed-1", "Nobody home.\n");
        String bounce = server.awaitInbox(ALICE, "nobody@refused.test", Duration.ofSeconds(15));
        assertTrue(refuser.refusedRecipients.get() >= 1);
        assertTrue(bounce.startsWith("Return-Path: <>\n"), "a bounce has the null sender: " + bounce);

        MimeMessage dsn = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(bounce.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(dsn.getContentType().toLowerCase().startsWith("multipart/report"), dsn.getContentType());
        assertTrue(dsn.getContentType().toLowerCase().contains("report-type=delivery-status"), dsn.getContentType());
        assertTrue(dsn.getFrom()[0].toString().toUpperCase().contains("MAILER-DAEMON"), dsn.getFrom()[0].toString());
        Multipart parts = (Multipart) dsn.getContent();
        String status = null;
        String returned = null;
        for (int i = 0; i < parts.getCount(); i++) {
            Part p = parts.getBodyPart(i);
            if (p.isMimeType("message/delivery-status")) {
                status = text(p);
            } else if (p.isMimeType("message/rfc822") || p.isMimeType("text/rfc822-headers")) {
                returned = text(p);
            }
        }
        assertTrue(status != null, "no message/delivery-status part");
        // RFC 3464 2.3: the per-recipient fields.
        assertTrue(status.contains("Final-Recipient: rfc822; nobody@refused.test"), status);
        assertTrue(status.contains("Action: failed"), status);
        assertTrue(status.contains("Status: 5.1.1"), status);
        assertTrue(status.contains("Diagnostic-Code: smtp; 550 5.1.1"), status);
        assertTrue(returned != null && returned.contains("Subject: doomed-1"), "original headers returned: " + returned);
        TestMailServer.await("an empty queue", Duration.ofSeconds(10), () -> queued() == 0);
    }

    private static String text(Part p) throws Exception {
        Object content = p.getContent();
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof InputStream in) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        if (content instanceof MimeMessage m) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            m.writeTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(content);
    }

    private long queued() {
        try {
            return server.queuedFiles();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
