package org.mailserver.imap.interop;

import static org.junit.jupiter.api.Assertions.*;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IdleManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.wire.ImapTestServer;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/** Jakarta Mail's (Angus) IMAP provider as a real client against our server, over STARTTLS and in the clear. */
@Timeout(30)
class JakartaMailClientTest {
    ImapTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Session session(boolean starttls) {
        Properties p = new Properties();
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", Integer.toString(server.port()));
        p.put("mail.imap.connectiontimeout", "5000");
        p.put("mail.imap.timeout", "5000");
        p.put("mail.imap.usesocketchannels", "true");
        p.put("mail.debug", System.getProperty("imap.debug", "false"));
        if (starttls) {
            p.put("mail.imap.starttls.required", "true");
            p.put("mail.imap.ssl.trust", "*");
            p.put("mail.imap.ssl.checkserveridentity", "false");
        }
        return Session.getInstance(p);
    }

    private MimeMessage message(Session s, String subject) throws Exception {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("sender@example.org"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.org"));
        m.setSubject(subject);
        m.setText("Hello " + subject + "\r\n");
        m.saveChanges();
        return m;
    }

    @Test
    void appendReadFlagMoveAndSearchOverStartTls() throws Exception {
        Session s = session(true);
        try (Store store = s.getStore("imap")) {
            store.connect("alice", "secret");
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.appendUIDMessages(new Message[] {message(s, "one"), message(s, "two"), message(s, "three")});
            inbox.open(Folder.READ_WRITE);
            assertEquals(3, inbox.getMessageCount());
            Message first = inbox.getMessage(1);
            assertEquals(3, ((UIDFolder) inbox).getUIDNext() - 1);
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            first.writeTo(raw); // BODY[]: works with the protocol layer alone
            assertTrue(raw.toString(java.nio.charset.StandardCharsets.UTF_8).contains("Hello one"));
            if (java.util.ServiceLoader.load(org.mailserver.imap.fetch.MessageContentRenderer.class).findFirst().isPresent()) {
                assertTrue(((String) inbox.getMessage(2).getContent()).startsWith("Hello two")); // BODYSTRUCTURE path
            }
            assertTrue(first.isSet(Flags.Flag.SEEN), "reading the body sets \\Seen");
            inbox.getMessage(2).setFlag(Flags.Flag.FLAGGED, true);
            Message[] flagged = inbox.search(new FlagTerm(new Flags(Flags.Flag.FLAGGED), true));
            assertEquals(1, flagged.length);
            assertEquals(2, flagged[0].getMessageNumber());

            Folder trash = store.getFolder("Trash");
            inbox.moveMessages(new Message[] {inbox.getMessage(3)}, trash);
            assertEquals(2, store.getFolder("INBOX").getMessageCount()); // a closed folder object asks STATUS
            trash.open(Folder.READ_ONLY);
            assertEquals(1, trash.getMessageCount());
            assertEquals("three", trash.getMessage(1).getHeader("Subject")[0]);
            trash.close(false);

            Folder created = store.getFolder("Work/Reports");
            assertTrue(created.create(Folder.HOLDS_MESSAGES));
            assertTrue(store.getFolder("Work/Reports").exists());
            inbox.close(true);
        }
    }

    @Test
    void idleManagerIsToldOfNewMail() throws Exception {
        Session s = session(false);
        ExecutorService es = Executors.newCachedThreadPool();
        IdleManager idle = new IdleManager(s, es);
        try (Store store = s.getStore("imap"); Store writer = s.getStore("imap")) {
            store.connect("alice", "secret");
            writer.connect("alice", "secret");
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            CountDownLatch arrived = new CountDownLatch(1);
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    arrived.countDown();
                }
            });
            idle.watch(inbox);
            Thread.sleep(200);
            writer.getFolder("INBOX").appendMessages(new Message[] {message(s, "pushed")});
            assertTrue(arrived.await(5, TimeUnit.SECONDS), "IdleManager saw no new message");
        } finally {
            idle.stop();
            es.shutdownNow();
        }
    }
}
