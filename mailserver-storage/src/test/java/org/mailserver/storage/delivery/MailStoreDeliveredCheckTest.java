package org.mailserver.storage.delivery;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.address.LocalDomains;
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
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.StoreLocalDelivery;

/** The in-doubt check against the real (in-memory) store and the storage helper's LocalDelivery. */
@Timeout(30)
class MailStoreDeliveredCheckTest {
    @TempDir
    Path dir;
    QueueManager qmgr;

    final Settings settings = Settings.of(Map.of("mydestination", "local.test", "myhostname", "mx.local.test",
        "queue_run_delay", "1s", "minimal_backoff_time", "1s", "delay_warning_time", "0"));
    final InMemoryMailStoreProvider stores = new InMemoryMailStoreProvider();
    final StoreLocalDelivery delivery = new StoreLocalDelivery(stores, settings);
    final UserInfo alice = new UserInfo("alice@local.test", "1000", "1000", "/tmp/none", null, Map.of());

    @AfterEach
    void stop() {
        if (qmgr != null) {
            qmgr.stop();
        }
    }

    int inboxCount() throws Exception {
        try (MailStore s = stores.open(alice); Mailbox inbox = s.open("INBOX")) {
            inbox.sync();
            return inbox.messages().size();
        }
    }

    @Test
    void findsAStoredCopyByItsContent() throws Exception {
        byte[] content = "Subject: one\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(delivery.deliver(alice, null, "s@x.test", "alice@local.test", new ByteArrayInputStream(content)).ok());
        MailStoreDeliveredCheck check = new MailStoreDeliveredCheck(stores);
        assertTrue(check.alreadyDelivered(alice, "Q1", content));
        assertFalse(check.alreadyDelivered(alice, "Q2", "Subject: two\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void findsTheCopyBehindMoreThanAWindowOfNewerDeliveriesWhenTheArrivalIsKnown() throws Exception {
        // After a crash all recovered mail is in doubt; hundreds of other deliveries to the same mailbox may
        // land before the in-doubt one is checked. A window of the newest 50 then missed the copy (duplicate).
        Instant arrival = Instant.now();
        byte[] content = "Subject: in-doubt-000\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(delivery.deliver(alice, null, "s@x.test", "alice@local.test", new ByteArrayInputStream(content)).ok());
        for (int i = 1; i <= MailStoreDeliveredCheck.WINDOW + 10; i++) {
            byte[] other = String.format("Subject: in-doubt-%03d\r\n\r\nbody\r\n", i).getBytes(StandardCharsets.US_ASCII);
            assertTrue(delivery.deliver(alice, null, "s@x.test", "alice@local.test", new ByteArrayInputStream(other)).ok());
        }
        MailStoreDeliveredCheck check = new MailStoreDeliveredCheck(stores);
        assertFalse(check.alreadyDelivered(alice, "Q1", content), "the newest-50 window alone misses it");
        assertTrue(check.alreadyDelivered(alice, "Q1", content, arrival));
        assertFalse(check.alreadyDelivered(alice, "Q1", content, arrival.plus(java.time.Duration.ofMinutes(1))),
            "a message stored before this one arrived is not a copy of it");
    }

    @Test
    void crashBetweenStoreAndDoneMarkLeavesExactlyOneCopy() throws Exception {
        FileMessageQueue queue = new FileMessageQueue(dir);
        IncomingMessage in = queue.begin(new Envelope("s@remote.test", List.of(new Envelope.Recipient("alice@local.test")),
            null, null, "7BIT", false, null, null, null, Instant.now()));
        byte[] b = "Subject: crash\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        in.write(b, 0, b.length);
        String id = in.commit();
        queue.append(QueueState.ACTIVE, id, QueueFile.IN_PROGRESS, "0\t" + System.currentTimeMillis());
        try (InputStream content = queue.openContent(QueueState.ACTIVE, queue.inspect(QueueState.ACTIVE, id))) {
            assertTrue(delivery.deliver(alice, null, "s@remote.test", "alice@local.test", content).ok());
        }
        DeliveryAgents agents = new DeliveryAgents();
        org.mailserver.core.auth.AuthService auth = LocalDeliveryExactlyOnceTest.USERS;
        agents.register(new LocalDeliveryAgent(delivery, auth, new MailStoreDeliveredCheck(stores), "+"));
        qmgr = new QueueManager(queue, agents, Router.fromSettings(settings, LocalDomains.fromSettings(settings)),
            QueueManagerConfig.from(settings), Clock.systemUTC());
        qmgr.start();
        long end = System.currentTimeMillis() + 10_000;
        while (queue.find(id).isPresent()) {
            assertTrue(System.currentTimeMillis() < end);
            Thread.sleep(20);
        }
        assertEquals(1, inboxCount());
    }
}
