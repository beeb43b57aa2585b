package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.config.Settings;
import org.mailserver.core.daemon.ControlClient;
import org.mailserver.core.daemon.ControlServer;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.delivery.Router;
import org.mailserver.core.queue.admin.QueueRequest;
import org.mailserver.core.server.ControlCommandRegistry;

/** The {@code queue} control command through the daemon's real control socket and client. */
@Timeout(20)
class ControlClientTest {
    @TempDir
    Path dir;

    @Test
    void queueCommandOverTheControlSocket() throws Exception {
        Settings s = Settings.of(Map.of("minimal_backoff_time", "1h", "queue_run_delay", "1h"));
        FileMessageQueue q = new FileMessageQueue(dir.resolve("q"));
        String id = QueueFileTest.commit(q, QueueFileTest.envelope("s@example.org", "r@example.net"), "Subject: x\r\n\r\nx\r\n");
        q.move(id, QueueState.ACTIVE, QueueState.HOLD);
        QueueManager qmgr = new QueueManager(q, new DeliveryAgents(), Router.fromSettings(s, LocalDomains.fromSettings(s)),
            QueueManagerConfig.from(s), Clock.systemUTC());
        qmgr.start();
        ControlCommandRegistry registry = new ControlCommandRegistry();
        registry.register("queue", args -> QueueRequest.run(qmgr.admin(), args));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Path socket = dir.resolve("control");
        try (ControlServer server = ControlServer.start(socket, registry, pool)) {
            ControlClient client = new ControlClient(socket);
            ControlClient.Reply listing = client.send(List.of("queue", "list"));
            assertTrue(listing.ok() && listing.body().contains(id + "!"), listing.toString());
            ControlClient.Reply bad = client.send(List.of("queue", "nonsense"));
            assertFalse(bad.ok());
            assertTrue(bad.body().contains("unknown queue command"), bad.body());
            assertTrue(client.send(List.of("queue", "delete", id)).body().contains(id + ": deleted"));
            assertTrue(q.find(id).isEmpty());
        } finally {
            qmgr.stop();
            pool.shutdownNow();
        }
        assertThrows(ControlClient.NotRunningException.class, () -> new ControlClient(dir.resolve("none")).send(List.of("queue", "list")));
    }
}
