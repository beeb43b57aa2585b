package org.mailserver.lmtp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.StoreLocalDelivery;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/** LMTP (RFC 2033) over the wire into the in-memory store: LHLO, per-recipient replies, unknown users and quota at RCPT. */
@Timeout(20)
class LmtpServerTest {
    private TestServer server;
    private InMemoryMailStoreProvider stores;

    @BeforeEach
    void start() {
        Map<String, String> s = TestServer.defaults();
        server = new TestServer(new LmtpProtocolHandlerFactory(), "lmtp", false, s);
        stores = new InMemoryMailStoreProvider(Settings.of(Map.of()));
        server.services.register(MailStoreProvider.class, stores);
        server.services.register(LocalDelivery.class, new StoreLocalDelivery(stores, Settings.of(Map.of())));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static UserInfo user(String name, Map<String, String> fields) {
        return new UserInfo(name, "1000", "1000", "/home/" + name, null, fields);
    }

    private List<String> inbox(String name) throws Exception {
        try (MailStore store = stores.open(user(name, Map.of())); Mailbox box = store.open("INBOX")) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (MessageMeta m : box.messages()) {
                try (InputStream in = box.open(m.uid())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }

    @Test
    void deliversWithOneReplyPerRecipient() throws Exception {
        try (SmtpClient c = server.client()) {
            assertEquals("220 mx.example.org LMTP", c.read().last());
            assertEquals("503 5.5.1 Error: send LHLO first", c.cmd("MAIL FROM:<a@example.net>").last());
            assertEquals(502, c.cmd("EHLO x").code(), "LMTP has no EHLO (RFC 2033 4.1)");
            SmtpClient.Reply lhlo = c.cmd("LHLO mta.example.org");
            assertEquals(250, lhlo.code());
            assertTrue(lhlo.text().contains("PIPELINING") && lhlo.text().contains("ENHANCEDSTATUSCODES"));
            assertEquals(250, c.cmd("MAIL FROM:<sender@example.net>").code());
            assertEquals(250, c.cmd("RCPT TO:<alice@example.com>").code());
            assertEquals("550 5.1.1 <ghost@example.com> User doesn't exist", c.cmd("RCPT TO:<ghost@example.com>").last());
            assertEquals(250, c.cmd("RCPT TO:<bob+lists@example.com>").code());
            assertEquals(354, c.cmd("DATA").code());
            c.raw("Subject: via lmtp\r\n\r\nhello\r\n.\r\n");
            SmtpClient.Reply first = c.read();
            SmtpClient.Reply second = c.read();
            assertTrue(first.last().matches("250 2\\.0\\.0 <alice@example\\.com> L[0-9A-F]+ Saved"), first.last());
            assertTrue(second.last().startsWith("250 2.0.0 <bob+lists@example.com>"), second.last());
            assertEquals(221, c.cmd("QUIT").code());
        }
        List<String> alice = inbox("alice@example.com");
        assertEquals(1, alice.size());
        assertTrue(alice.get(0).startsWith("Return-Path: <sender@example.net>\r\nDelivered-To: alice@example.com\r\nReceived: from mta.example.org"), alice.get(0));
        assertTrue(alice.get(0).contains("with LMTP id"));
        assertTrue(alice.get(0).endsWith("Subject: via lmtp\r\n\r\nhello\r\n"));
        assertEquals(1, inbox("bob@example.com").size());
        assertTrue(server.queue.committed.isEmpty(), "LMTP does not use the queue");
    }

    @Test
    void overQuotaMailboxIsRefusedAtRcpt() throws Exception {
        server.auth.user("full@example.com", "x");
        server.auth.fields.put("full@example.com", Map.of("quota_rule", "*:messages=1"));
        // Fill the user's one-message quota through the delivery path itself.
        UserInfo full = user("full@example.com", Map.of("quota_rule", "*:messages=1"));
        new StoreLocalDelivery(stores, Settings.of(Map.of())).deliver(full, null, "", "full@example.com",
            new java.io.ByteArrayInputStream("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)));
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("LHLO mta.example.org");
            c.cmd("MAIL FROM:<s@example.net>");
            assertEquals("552 5.2.2 <full@example.com> Mailbox is full", c.cmd("RCPT TO:<full@example.com>").last());
        }
    }

    @Test
    void bdatWorksWithPerRecipientReplies() throws Exception {
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("LHLO mta.example.org");
            c.cmd("MAIL FROM:<s@example.net>");
            c.cmd("RCPT TO:<alice@example.com>");
            c.cmd("RCPT TO:<bob@example.com>");
            c.raw("BDAT 17 LAST\r\nSubject: b\r\n\r\nbody");
            assertEquals(250, c.read().code());
            assertEquals(250, c.read().code());
        }
        assertEquals(1, inbox("bob@example.com").size());
    }
}
