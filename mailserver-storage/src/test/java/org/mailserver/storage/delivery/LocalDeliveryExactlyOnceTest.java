package org.mailserver.storage.delivery;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.delivery.Router;
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.FileMessageQueue;
import org.mailserver.core.queue.IncomingMessage;
import org.mailserver.core.queue.QueueFile;
import org.mailserver.core.queue.QueueManager;
import org.mailserver.core.queue.QueueManagerConfig;
import org.mailserver.core.queue.QueueState;
import org.mailserver.storage.LocalDelivery;

/**
 * Local delivery through the queue, including the crash window between "stored in the mailbox" and
 * "recorded in the queue file": a crash there must not produce a second copy.
 */
@Timeout(30)
class LocalDeliveryExactlyOnceTest {
    @TempDir
    Path dir;
    QueueManager qmgr;

    /** Mailboxes in memory: user -> stored messages (with the headers LocalDelivery prepends). */
    final Map<String, List<byte[]>> mailboxes = new ConcurrentHashMap<>();

    final LocalDelivery store = (user, mailbox, returnPath, deliveredTo, message) -> {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(("Return-Path: <" + returnPath + ">\r\nDelivered-To: " + deliveredTo + "\r\n").getBytes(StandardCharsets.UTF_8));
            message.transferTo(out);
            if (user.user().startsWith("full@")) {
                return new LocalDelivery.Result(LocalDelivery.Result.Status.TEMPORARY_FAILURE, 452, "4.2.2", "Mailbox full");
            }
            mailboxes.computeIfAbsent(user.user(), k -> new CopyOnWriteArrayList<>()).add(out.toByteArray());
            return LocalDelivery.Result.delivered();
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
    };

    final DeliveredCheck check = (user, queueId, content) -> mailboxes.getOrDefault(user.user(), List.of()).stream()
        .anyMatch(m -> m.length >= content.length
            && java.util.Arrays.equals(m, m.length - content.length, m.length, content, 0, content.length));

    static final AuthService USERS = new AuthService() {
        @Override
        public List<String> mechanisms(AuthContext context) {
            return List.of();
        }

        @Override
        public Optional<SaslExchange> startSasl(String mechanism, AuthContext context) {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<AuthResult> login(String user, String password, AuthContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<UserInfo> lookupUser(String user) {
            return Set.KNOWN.contains(user) ? Optional.of(new UserInfo(user, "1000", "1000", "/home/x", null, Map.of())) : Optional.empty();
        }
    };

    interface Set {
        java.util.Set<String> KNOWN = java.util.Set.of("alice@local.test", "bob@local.test", "full@local.test");
    }

    FileMessageQueue queue;

    void startManager() throws Exception {
        Settings s = Settings.of(Map.of("mydestination", "local.test", "myhostname", "mx.local.test",
            "queue_run_delay", "1s", "minimal_backoff_time", "1s", "delay_warning_time", "0"));
        DeliveryAgents agents = new DeliveryAgents();
        agents.register(new LocalDeliveryAgent(store, USERS, check, "+"));
        qmgr = new QueueManager(queue, agents, Router.fromSettings(s, LocalDomains.fromSettings(s)),
            QueueManagerConfig.from(s), Clock.systemUTC());
        qmgr.start();
    }

    @AfterEach
    void stop() {
        if (qmgr != null) {
            qmgr.stop();
        }
    }

    String enqueue(String sender, String... rcpts) throws Exception {
        List<Envelope.Recipient> rs = java.util.Arrays.stream(rcpts).map(Envelope.Recipient::new).toList();
        IncomingMessage in = queue.begin(new Envelope(sender, rs, null, null, "7BIT", false, null, null, null, Instant.now()));
        byte[] b = "Subject: hello\r\nMessage-ID: <1@x>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        in.write(b, 0, b.length);
        return in.commit();
    }

    void awaitGone(String id) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (queue.find(id).isPresent()) {
            assertTrue(System.currentTimeMillis() < end, "message " + id + " still queued");
            Thread.sleep(20);
        }
    }

    @Test
    void deliversWithExtensionAndBouncesUnknownUsers() throws Exception {
        queue = new FileMessageQueue(dir);
        startManager();
        String id = enqueue("sender@local.test", "alice+lists@local.test", "nobody@local.test");
        awaitGone(id);
        assertEquals(1, mailboxes.get("alice@local.test").size());
        String stored = new String(mailboxes.get("alice@local.test").get(0), StandardCharsets.UTF_8);
        assertTrue(stored.startsWith("Return-Path: <sender@local.test>\r\nDelivered-To: alice+lists@local.test\r\n"), stored);
        // The bounce for nobody@ went back to sender@local.test, which is not a user either: a bounce
        // of that bounce must not exist (null sender), so nothing else arrives anywhere.
        Thread.sleep(300);
        assertEquals(java.util.Set.of("alice@local.test"), mailboxes.keySet());
    }

    @Test
    void crashAfterStoringButBeforeTheDoneMarkDoesNotDeliverTwice() throws Exception {
        queue = new FileMessageQueue(dir);
        String id = enqueue("sender@remote.test", "alice@local.test", "bob@local.test");
        // What the agent had done when the process died: journaled "starting" for alice, stored the
        // message in her mailbox, but the 'D' record never reached the disk.
        queue.append(QueueState.ACTIVE, id, QueueFile.IN_PROGRESS, "0\t" + System.currentTimeMillis());
        try (InputStream content = queue.openContent(QueueState.ACTIVE, queue.inspect(QueueState.ACTIVE, id))) {
            store.deliver(USERS.lookupUser("alice@local.test").orElseThrow(), null, "sender@remote.test", "alice@local.test", content);
        }
        startManager();
        awaitGone(id);
        assertEquals(1, mailboxes.get("alice@local.test").size(), "alice got a duplicate");
        assertEquals(1, mailboxes.get("bob@local.test").size());
    }

    @Test
    void crashAfterTheStartMarkButBeforeStoringDeliversOnce() throws Exception {
        queue = new FileMessageQueue(dir);
        String id = enqueue("sender@remote.test", "alice@local.test");
        queue.append(QueueState.ACTIVE, id, QueueFile.IN_PROGRESS, "0\t" + System.currentTimeMillis());
        startManager();
        awaitGone(id);
        assertEquals(1, mailboxes.get("alice@local.test").size(), "in-doubt delivery that never happened was lost");
    }

    @Test
    void temporaryStoreFailureDefers() throws Exception {
        queue = new FileMessageQueue(dir);
        startManager();
        String id = enqueue("sender@remote.test", "full@local.test");
        long end = System.currentTimeMillis() + 5000;
        while (queue.find(id).orElse(null) != QueueState.DEFERRED) {
            assertTrue(System.currentTimeMillis() < end);
            Thread.sleep(20);
        }
        assertTrue(qmgr.admin().list().get(0).recipients().get(0).reason().contains("Mailbox full"));
    }

    @Test
    void aMessageThatWasAlreadyDeliveredToTheRecipientIsALoop() throws Exception {
        queue = new FileMessageQueue(dir);
        startManager();
        IncomingMessage in = queue.begin(new Envelope("", List.of(new Envelope.Recipient("alice@local.test"),
            new Envelope.Recipient("bob@local.test")), null, null, "7BIT", false, null, null, null, Instant.now()));
        byte[] b = "Delivered-To: Alice@local.test\r\nSubject: looped\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        in.write(b, 0, b.length);
        String id = in.commit();
        awaitGone(id);
        assertNull(mailboxes.get("alice@local.test"), "looping message delivered");
        assertEquals(1, mailboxes.get("bob@local.test").size());
    }

    @Test
    void userLookupTriesTheExtensionlessAddressAndBareLocalPartsForMydestination() {
        AuthService unix = new AuthService() {
            @Override
            public List<String> mechanisms(AuthContext context) {
                return List.of();
            }

            @Override
            public Optional<SaslExchange> startSasl(String mechanism, AuthContext context) {
                return Optional.empty();
            }

            @Override
            public CompletableFuture<AuthResult> login(String user, String password, AuthContext context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<UserInfo> lookupUser(String user) {
                return java.util.Set.of("root", "carol@hosted.test").contains(user)
                    ? Optional.of(new UserInfo(user, "1", "1", "/x", null, Map.of())) : Optional.empty();
            }
        };
        LocalDeliveryAgent agent = new LocalDeliveryAgent(store, unix, check, "+", "localhost"::equals);
        assertEquals("root", agent.lookup("root+cron@localhost").orElseThrow().user());
        assertEquals("carol@hosted.test", agent.lookup("carol+x@hosted.test").orElseThrow().user());
        assertTrue(agent.lookup("root@hosted.test").isEmpty(), "bare local parts only for mydestination domains");
    }
}
