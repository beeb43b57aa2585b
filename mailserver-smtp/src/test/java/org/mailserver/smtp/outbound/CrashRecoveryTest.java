package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.FileMessageQueue;
import org.mailserver.core.queue.IncomingMessage;
import org.mailserver.core.queue.QueueState;

/**
 * kill -9 while deliveries are in flight: a child JVM ({@link CrashChild}) delivers a queue of local
 * and remote messages and is killed with SIGKILL at random moments, then restarted, several times.
 * Afterwards every local message is in the mailbox exactly once, every remote message reached the
 * peer at least once, and the queue is empty.
 */
@Timeout(120)
class CrashRecoveryTest {
    @TempDir
    Path dir;

    Process child(Path queue, Path mail, int port) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cp,
            CrashChild.class.getName(), queue.toString(), mail.toString(), Integer.toString(port))
            .redirectErrorStream(true).start();
    }

    /** Reads the child's output until the line appears; false on timeout or exit. */
    static boolean awaitLine(Process p, BufferedReader out, String line, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (out.ready()) {
                String l = out.readLine();
                if (l == null) {
                    return false;
                }
                if (l.equals(line)) {
                    return true;
                }
            } else if (!p.isAlive()) {
                return false;
            } else {
                Thread.sleep(5);
            }
        }
        return false;
    }

    @Test
    void killedRepeatedlyMidDeliveryLosesNothingAndDuplicatesNoLocalMessage() throws Exception {
        Path queueDir = dir.resolve("queue");
        Path mailDir = dir.resolve("mail");
        ScriptedSmtpServer peer = new ScriptedSmtpServer("127.0.0.1", 0, null);
        peer.dataDelayMillis = 40;
        FileMessageQueue queue = new FileMessageQueue(queueDir);
        int n = 80;
        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String subject = "crash-" + i;
            String rcpt = i % 2 == 0 ? "u" + (i % 5) + "@local.test" : "r" + (i % 3) + "@remote.test";
            (i % 2 == 0 ? local : remote).add(subject);
            IncomingMessage in = queue.begin(new Envelope("s@local.test", List.of(new Envelope.Recipient(rcpt)), null, null,
                "7BIT", false, null, null, null, Instant.now()));
            byte[] b = ("Subject: " + subject + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            in.write(b, 0, b.length);
            in.commit();
        }
        try (peer) {
            int kills = 0;
            int killsWithWorkPending = 0;
            for (int round = 0; round < 4; round++) {
                Process p = child(queueDir, mailDir, peer.port());
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertTrue(awaitLine(p, out, "STARTED", 30_000), "child did not start");
                Thread.sleep(ThreadLocalRandom.current().nextInt(50, 800));
                p.destroyForcibly(); // SIGKILL
                p.waitFor(10, TimeUnit.SECONDS);
                kills++;
                int pending = queue.list(QueueState.ACTIVE).size() + queue.list(QueueState.DEFERRED).size();
                System.out.println("kill " + kills + ": " + pending + " message(s) still queued, " + peer.messages.size()
                    + " at the peer");
                if (pending > 0) {
                    killsWithWorkPending++;
                }
            }
            assertTrue(killsWithWorkPending > 0, "no kill landed while deliveries were in flight");
            Process p = child(queueDir, mailDir, peer.port());
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            try {
                assertTrue(awaitLine(p, out, "IDLE", 60_000), "queue never drained after " + kills + " kills");
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        Map<String, Integer> stored = new HashMap<>();
        try (Stream<Path> files = Files.list(mailDir.resolve("new"))) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.US_ASCII);
                String subject = text.substring(text.indexOf("Subject: ") + 9, text.indexOf("\r\n", text.indexOf("Subject: ")));
                stored.merge(subject, 1, Integer::sum);
            }
        }
        for (String s : local) {
            assertEquals(1, stored.getOrDefault(s, 0), "local message " + s + " stored " + stored.get(s) + " times");
        }
        for (String s : remote) {
            assertTrue(peer.messages.stream().anyMatch(m -> m.contains("Subject: " + s + "\r\n")), "remote message " + s + " lost");
        }
        assertTrue(queue.list(QueueState.ACTIVE).isEmpty() && queue.list(QueueState.DEFERRED).isEmpty());
        assertTrue(queue.list(QueueState.CORRUPT).isEmpty(), "a kill corrupted a queue file");
    }
}
