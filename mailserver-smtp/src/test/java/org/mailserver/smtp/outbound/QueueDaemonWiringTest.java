package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.IncomingMessage;
import org.mailserver.core.queue.MessageQueue;
import org.mailserver.core.queue.admin.QueueModule;
import org.mailserver.core.queue.admin.QueueRunnerModule;
import org.mailserver.core.server.ControlCommandRegistry;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.delivery.LocalDeliveryModule;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.StoreLocalDelivery;

/**
 * The queue's daemon modules as the daemon runs them: discovered through META-INF/services, started
 * in order with shared {@link Services}, mail enqueued through {@link MessageQueue} delivered locally
 * and remotely, the {@code queue} control command answering, and a clean stop.
 */
@Timeout(30)
class QueueDaemonWiringTest {
    @TempDir
    Path dir;

    @Test
    void modulesAreRegisteredStartDeliverAnswerTheControlCommandAndStop() throws Exception {
        List<Class<?>> found = new ArrayList<>();
        ServiceLoader.load(DaemonModule.class).stream().forEach(p -> found.add(p.type()));
        for (Class<?> c : List.of(QueueModule.class, QueueRunnerModule.class, LocalDeliveryModule.class, OutboundModule.class)) {
            assertTrue(found.contains(c), c + " not registered in META-INF/services");
        }

        ScriptedSmtpServer peer = new ScriptedSmtpServer("127.0.0.1", 0, null);
        Settings settings = Settings.of(Map.of("queue_directory", dir.resolve("queue").toString(),
            "mydestination", "local.test", "myhostname", "mx.local.test", "delay_warning_time", "0",
            "transport_maps", "inline:{remote.test=smtp:[127.0.0.1]:" + peer.port() + "}"));
        Services services = new Services();
        ControlCommandRegistry control = new ControlCommandRegistry();
        services.register(ControlCommandRegistry.class, control);
        InMemoryMailStoreProvider stores = new InMemoryMailStoreProvider();
        services.register(MailStoreProvider.class, stores);
        services.register(LocalDelivery.class, new StoreLocalDelivery(stores, settings));
        services.register(AuthService.class, CrashChild.users());

        List<DaemonModule> modules = new ArrayList<>(List.of(new QueueRunnerModule(), new OutboundModule(),
            new LocalDeliveryModule(), new QueueModule()));
        modules.sort(Comparator.comparingInt(DaemonModule::order));
        for (DaemonModule m : modules) {
            m.start(settings, services);
        }
        try (peer) {
            MessageQueue queue = services.require(MessageQueue.class);
            for (String rcpt : List.of("alice@local.test", "bob@remote.test")) {
                IncomingMessage in = queue.begin(new Envelope("s@local.test", List.of(new Envelope.Recipient(rcpt)), null, null,
                    "7BIT", false, null, null, null, Instant.now()));
                byte[] b = "Subject: wired\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
                in.write(b, 0, b.length);
                in.commit();
            }
            UserInfo alice = new UserInfo("alice@local.test", "1", "1", "/nonexistent", null, Map.of());
            long end = System.currentTimeMillis() + 10_000;
            while (true) {
                int local;
                try (MailStore s = stores.open(alice); Mailbox inbox = s.open("INBOX")) {
                    inbox.sync();
                    local = inbox.messages().size();
                }
                if (local == 1 && peer.messages.size() == 1) {
                    break;
                }
                assertTrue(System.currentTimeMillis() < end, "not delivered: local=" + local + " remote=" + peer.messages.size());
                Thread.sleep(20);
            }
            // A reload with a new route: the next message follows it, through the new agents.
            ScriptedSmtpServer other = new ScriptedSmtpServer("127.0.0.1", 0, null);
            Settings reloaded = settings.withOverrides(Map.of("transport_maps", "inline:{remote.test=smtp:[127.0.0.1]:" + other.port() + "}"));
            for (DaemonModule m : modules) {
                m.reload(reloaded, services);
            }
            try (other) {
                IncomingMessage in = queue.begin(new Envelope("s@local.test", List.of(new Envelope.Recipient("carol@remote.test")),
                    null, null, "7BIT", false, null, null, null, Instant.now()));
                byte[] b = "Subject: after reload\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
                in.write(b, 0, b.length);
                in.commit();
                long end3 = System.currentTimeMillis() + 10_000;
                while (other.messages.isEmpty()) {
                    assertTrue(System.currentTimeMillis() < end3, "not delivered after reload");
                    Thread.sleep(20);
                }
            }
            assertNotNull(control.find("queue"));
            long end2 = System.currentTimeMillis() + 5_000;
            String listing;
            while (!(listing = control.find("queue").handle(List.of("list"))).equals("Mail queue is empty\n")) {
                assertTrue(System.currentTimeMillis() < end2, listing);
                Thread.sleep(20);
            }
            assertThrows(IllegalArgumentException.class, () -> control.find("queue").handle(List.of("bogus")));
        } finally {
            for (int i = modules.size() - 1; i >= 0; i--) {
                modules.get(i).stop();
            }
        }
    }
}
