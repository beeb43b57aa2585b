package org.mailserver.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.dist.Main;

/**
 * kill -9 of the whole daemon under load (issue 5, and the outbound variant of issue 6): a child JVM runs
 * {@code mailserver start-fg} on a test config; two client threads stream messages into port 25, each with
 * a unique subject, to two local users and to a remote domain whose relayhost is GreenMail (in this JVM, so
 * it survives the kills). The child is killed with SIGKILL at random moments, four times, and restarted
 * each time; then it runs until its queue is empty.
 *
 * <p>Checked afterwards: every message that got "250 ... queued" is in its local Maildir exactly once, or at
 * GreenMail at least once (remote delivery is at-least-once, as in Postfix); no message is in a Maildir
 * twice, acknowledged or not; the queue holds no corrupt file.
 */
@Timeout(120)
class DaemonCrashTest {
    private static final Pattern SUBJECT = Pattern.compile("^Subject: (crash-\\d+)$", Pattern.MULTILINE);
    private static final String[] RECIPIENTS = {TestMailServer.ALICE, TestMailServer.BOB, "dave@remote.test"};

    /** Kept when the test fails: the children's logs and the queue are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final Map<String, String> acknowledged = new ConcurrentHashMap<>(); // subject -> recipient
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean(true);

    @Test
    void everyAcknowledgedMessageIsDeliveredExactlyOnceLocallyAndAtLeastOnceRemotelyAcrossKills() throws Exception {
        GreenMail remote = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        remote.start();
        Map<String, Integer> ports = TestMailServer.fixedPorts();
        TestMailServer server = TestMailServer.configure(dir, ports,
            "relayhost = [127.0.0.1]:" + remote.getSmtp().getPort() + "\n"
                // The clients relay through port 25 without AUTH (RawSmtp speaks no TLS): trust loopback here.
                + "mynetworks = 127.0.0.0/8\n");
        int smtpPort = ports.get("smtp");
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> sendUntilStopped(smtpPort), "sender-" + i);
            t.setDaemon(true);
            t.start();
            senders.add(t);
        }
        Process child = null;
        int killsWithQueuedMail = 0;
        Set<String> atRemote;
        try {
            for (int round = 0; round < 4; round++) {
                child = startChild(round);
                awaitGreeting(child, smtpPort);
                Thread.sleep(ThreadLocalRandom.current().nextInt(400, 1500));
                child.destroyForcibly(); // SIGKILL: no shutdown hook runs
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                long queued = server.queuedFiles();
                if (queued > 0) {
                    killsWithQueuedMail++;
                }
                System.out.println("kill " + (round + 1) + ": " + acknowledged.size() + " acknowledged so far, "
                    + queued + " queue file(s) left behind");
            }
            sending.set(false);
            for (Thread t : senders) {
                t.join(15_000);
            }
            child = startChild(4);
            awaitGreeting(child, smtpPort);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (server.queuedFiles() > 0 || !allRemoteArrived(remote)) {
                if (System.nanoTime() > deadline) {
                    Path dump = threadDump(child);
                    throw new AssertionError("queue not drained: " + server.queuedFiles() + " file(s) left; see "
                        + dir.resolve("child-4.log") + " and the daemon's threads in " + dump);
                }
                Thread.sleep(50);
            }
            child.destroy(); // SIGTERM: the graceful stop
            child.waitFor(15, TimeUnit.SECONDS);
            atRemote = remoteSubjects(remote); // before GreenMail stops: stopping drops what it received
        } finally {
            sending.set(false);
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            remote.stop();
        }

        assertTrue(acknowledged.size() >= 20, "too few messages got through to make the test meaningful: " + acknowledged.size());
        Map<String, Integer> stored = new HashMap<>();
        for (String user : List.of(TestMailServer.ALICE, TestMailServer.BOB)) {
            for (Path f : server.inboxFiles(user)) {
                Matcher m = SUBJECT.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                assertTrue(m.find(), "a file without a test subject: " + f);
                stored.merge(m.group(1) + "/" + user, 1, Integer::sum);
            }
        }
        stored.forEach((key, count) -> assertEquals(1, count, key + " stored " + count + " times"));
        int local = 0;
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            if (e.getValue().endsWith("@remote.test")) {
                assertTrue(atRemote.contains(e.getKey()), e.getKey() + " acknowledged but never reached GreenMail");
            } else {
                local++;
                assertEquals(1, stored.getOrDefault(e.getKey() + "/" + e.getValue(), 0), e.getKey() + " acknowledged but not in "
                    + e.getValue() + "'s Maildir");
            }
        }
        try (var corrupt = Files.list(Files.createDirectories(dir.resolve("queue").resolve("corrupt")))) {
            assertEquals(0, corrupt.count(), "a kill left a corrupt queue file");
        }
        System.out.println(acknowledged.size() + " acknowledged (" + local + " local), " + killsWithQueuedMail
            + " of 4 kills left mail in the queue");
    }

    private boolean allRemoteArrived(GreenMail remote) {
        Set<String> got = remoteSubjects(remote);
        return acknowledged.entrySet().stream().filter(e -> e.getValue().endsWith("@remote.test"))
            .allMatch(e -> got.contains(e.getKey()));
    }

    private static Set<String> remoteSubjects(GreenMail remote) {
        Set<String> subjects = new java.util.HashSet<>();
        for (MimeMessage m : remote.getReceivedMessages()) {
            try {
                subjects.add(m.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return subjects;
    }

    /** The child's thread dump (jcmd Thread.print) into child-threads.txt, for a failure message. */
    private Path threadDump(Process child) {
        Path out = dir.resolve("child-threads.txt");
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(child.pid()), "Thread.print")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort: the logs remain
        }
        return out;
    }

    /** The daemon as {@code bin/mailserver -c DIR start-fg} runs it, on this test's class path; output to child-N.log. */
    private Process startChild(int round) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-cp", classPath, Main.class.getName(), "-c", dir.toString(), "start-fg")
            .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + round + ".log").toFile()).start();
    }

    private void awaitGreeting(Process child, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            assertTrue(child.isAlive(), "the daemon exited; see " + dir);
            try (RawSmtp smtp = new RawSmtp(port)) {
                if (smtp.greeting().startsWith("220 ")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "the daemon did not start listening; see " + dir);
            Thread.sleep(50);
        }
    }

    /** Streams messages, several per connection; a message counts only when its DATA got a 250. Reconnects after a kill. */
    private void sendUntilStopped(int port) {
        while (sending.get()) {
            try (RawSmtp smtp = new RawSmtp(port)) {
                if (!smtp.greeting().startsWith("220")) {
                    continue;
                }
                smtp.send("EHLO mx.remote.test");
                for (int i = 0; i < 20 && sending.get(); i++) {
                    int n = next.getAndIncrement();
                    String subject = "crash-" + n;
                    String rcpt = RECIPIENTS[n % RECIPIENTS.length];
                    if (!smtp.send("MAIL FROM:<carol@remote.test>").startsWith("250")) {
                        break;
                    }
                    String accepted = smtp.send("RCPT TO:<" + rcpt + ">");
                    if (accepted.startsWith("5")) {
                        throw new AssertionError("refused: " + accepted); // a config error, not a crash effect
                    }
                    if (!accepted.startsWith("250") || !smtp.send("DATA").startsWith("354")) {
                        break;
                    }
                    String reply = smtp.data("From: <carol@remote.test>\r\nTo: <" + rcpt + ">\r\nSubject: " + subject
                        + "\r\nMessage-ID: <" + subject + "@remote.test>\r\n\r\nmessage " + n + "\r\n");
                    if (reply.startsWith("250 ")) {
                        acknowledged.put(subject, rcpt);
                    }
                }
                smtp.send("QUIT");
            } catch (IOException killed) {
                sleepQuietly(20); // the daemon is down: try again
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
