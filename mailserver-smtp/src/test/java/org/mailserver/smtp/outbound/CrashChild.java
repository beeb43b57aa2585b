package org.mailserver.smtp.outbound;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.delivery.Router;
import org.mailserver.core.queue.FileMessageQueue;
import org.mailserver.core.queue.QueueManager;
import org.mailserver.core.queue.QueueManagerConfig;
import org.mailserver.core.queue.QueueState;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.delivery.LocalDeliveryAgent;

/**
 * The daemon side of {@link CrashRecoveryTest}, run in a child JVM that the test kills with SIGKILL:
 * the real queue manager, the real local agent over a Maildir-like directory store (write, fsync,
 * rename, fsync directory) and the real SMTP agent. Prints STARTED, then IDLE once the queue is empty.
 * Args: queue directory, mailbox directory, SMTP peer port.
 */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        Path queueDir = Path.of(args[0]);
        Path mailDir = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        Files.createDirectories(mailDir.resolve("tmp"));
        Files.createDirectories(mailDir.resolve("new"));
        Settings s = Settings.of(Map.of("mydestination", "local.test", "myhostname", "mx.local.test",
            "transport_maps", "inline:{remote.test=smtp:[127.0.0.1]:" + port + "}", "queue_run_delay", "1s",
            "minimal_backoff_time", "1s", "maximal_backoff_time", "1s", "delay_warning_time", "0",
            "smtp_connection_cache_time_limit", "0", "default_destination_concurrency_limit", "2"));
        FileMessageQueue queue = new FileMessageQueue(queueDir);
        DeliveryAgents agents = new DeliveryAgents();
        LocalDelivery store = (user, mailbox, returnPath, deliveredTo, message) -> {
            try {
                byte[] body = message.readAllBytes();
                byte[] all = ("Delivered-To: " + deliveredTo + "\r\n").getBytes();
                all = Arrays.copyOf(all, all.length + body.length);
                System.arraycopy(body, 0, all, all.length - body.length, body.length);
                Path tmp = mailDir.resolve("tmp").resolve(UUID.randomUUID().toString());
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(all));
                    ch.force(true);
                }
                Files.move(tmp, mailDir.resolve("new").resolve(tmp.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                try (FileChannel d = FileChannel.open(mailDir.resolve("new"), StandardOpenOption.READ)) {
                    d.force(true);
                }
                // Widen the window between "stored" and "recorded" so that kills land in it.
                Thread.sleep(3);
                return LocalDelivery.Result.delivered();
            } catch (IOException | InterruptedException e) {
                return new LocalDelivery.Result(LocalDelivery.Result.Status.TEMPORARY_FAILURE, 451, "4.3.0", e.toString());
            }
        };
        agents.register(new LocalDeliveryAgent(store, users(), (user, id, content) -> containsTail(mailDir, user.user(), content), "+"));
        agents.register(SmtpDeliveryAgent.smtp(s));
        QueueManager qmgr = new QueueManager(queue, agents, Router.fromSettings(s, LocalDomains.fromSettings(s)),
            QueueManagerConfig.from(s), Clock.systemUTC());
        qmgr.start();
        System.out.println("STARTED");
        System.out.flush();
        while (true) {
            Thread.sleep(50);
            if (qmgr.idle() && queue.list(QueueState.ACTIVE).isEmpty() && queue.list(QueueState.DEFERRED).isEmpty()) {
                System.out.println("IDLE");
                System.out.flush();
            }
        }
    }

    static boolean containsTail(Path mailDir, String user, byte[] content) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(mailDir.resolve("new"))) {
            for (Path f : files) {
                byte[] b = Files.readAllBytes(f);
                String head = new String(b, 0, Math.min(b.length, 200));
                if (b.length >= content.length && head.startsWith("Delivered-To: " + user + "\r\n")
                    && Arrays.equals(b, b.length - content.length, b.length, content, 0, content.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    static AuthService users() {
        return new AuthService() {
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
                return user.endsWith("@local.test") ? Optional.of(new UserInfo(user, "1", "1", "/nonexistent", null, Map.of()))
                    : Optional.empty();
            }
        };
    }
}
