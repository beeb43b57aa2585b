package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the real daemon while it receives mail over SMTP (issue 5, the durable queue): the packaged
 * launcher runs {@code start-fg}; a client streams messages to port 25's listener; the JVM is killed with
 * SIGKILL at random moments and restarted, three times. At the end every message that got a 250 is in
 * the Maildir exactly once, and no message (acknowledged or not) is there twice.
 */
@Timeout(300)
class SmtpKillNineIT {
    @TempDir
    Path dir;

    private static Path launcher() {
        return Path.of("target/mailserver/bin/mailserver").toAbsolutePath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process start() throws IOException {
        ProcessBuilder b = new ProcessBuilder(launcher().toString(), "-c", dir.toString(), "start-fg")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()));
        b.environment().put("MAILSERVER_OPTS", "-Xmx128m");
        // Not about start-up speed: no class-data sharing archive built between the kills (LauncherIT covers it).
        b.environment().put("MAILSERVER_CDS", "off");
        return b.start();
    }

    private static boolean awaitPort(Process p, int port, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end && p.isAlive()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** Sends one message; true only when the server answered 250 to the end of data. */
    private static boolean send(int port, String subject) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            if (!reply(in).startsWith("220")) {
                return false;
            }
            for (String cmd : List.of("EHLO client.test", "MAIL FROM:<sender@remote.test>", "RCPT TO:<crash@example.test>", "DATA")) {
                out.write((cmd + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String r = reply(in);
                if (!(r.startsWith("250") || r.startsWith("354"))) {
                    return false;
                }
            }
            out.write(("From: <sender@remote.test>\r\nTo: <crash@example.test>\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject + "@remote.test>\r\nDate: Sun, 22 Nov 2026 12:00:00 +0000\r\n\r\nbody of " + subject
                + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean ok = reply(in).startsWith("250");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return ok;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last line of a (possibly multi-line) reply. */
    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    /** Messages in the queue: not the empty spare files kept ready in incoming/ (docs/queue.md). */
    private int queued() throws IOException {
        int n = 0;
        for (String d : List.of("incoming", "active", "deferred")) {
            Path p = dir.resolve("data/queue").resolve(d);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    n += (int) files.filter(f -> !d.equals("incoming") || f.toFile().length() > 0).count();
                }
            }
        }
        return n;
    }

    @Test
    void everyAcknowledgedMessageIsDeliveredExactlyOnceAcrossKills() throws Exception {
        assumeTrue(Files.isExecutable(launcher()), "package phase has not run");
        int port = freePort();
        Files.writeString(dir.resolve("main.cf"), String.join("\n",
            "myhostname = mail.example.test", "mydomain = example.test", "mydestination = localhost",
            "virtual_mailbox_domains = example.test", "inet_interfaces = loopback-only",
            "queue_directory = data/queue", "data_directory = data",
            // Absolute: a relative mail_location resolves against the working directory, not the config directory.
            "mail_location = maildir:" + dir.resolve("data/mail") + "/%d/%n",
            "passdb = passwd-file:data/users", "userdb = passwd-file:data/users", "demo_user = crash@example.test",
            "daemon_shutdown_timeout = 2s", "queue_run_delay = 1s", "minimal_backoff_time = 1s", ""));
        Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:" + port + "\n");

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger counter = new AtomicInteger();
        for (int round = 0; round < 3; round++) {
            Process daemon = start();
            assertTrue(awaitPort(daemon, port, 90_000), "daemon did not start: " + Files.readString(dir.resolve("daemon.log")));
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread[] senders = new Thread[3];
            for (int t = 0; t < senders.length; t++) {
                senders[t] = new Thread(() -> {
                    while (sending.get()) {
                        String subject = "kill-" + counter.incrementAndGet();
                        if (send(port, subject)) {
                            acknowledged.add(subject);
                        }
                    }
                });
                senders[t].start();
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(500, 2500));
            daemon.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(daemon.waitFor(20, TimeUnit.SECONDS));
            sending.set(false);
            for (Thread t : senders) {
                t.join(30_000);
            }
        }
        assertFalse(acknowledged.isEmpty(), "no message was acknowledged before the kills");

        Process daemon = start();
        try {
            assertTrue(awaitPort(daemon, port, 90_000), "daemon did not restart");
            long end = System.currentTimeMillis() + 90_000;
            while (queued() > 0) {
                assertTrue(System.currentTimeMillis() < end, queued() + " message(s) still queued");
                Thread.sleep(200);
            }
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }

        Map<String, Integer> stored = new HashMap<>();
        Path maildir = dir.resolve("data/mail/example.test/crash");
        for (String sub : List.of("new", "cur")) {
            if (!Files.isDirectory(maildir.resolve(sub))) {
                continue;
            }
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                for (Path f : files.toList()) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    int i = text.indexOf("\nSubject: ");
                    if (i >= 0) {
                        stored.merge(text.substring(i + 10, text.indexOf('\n', i + 1)).trim(), 1, Integer::sum);
                    }
                }
            }
        }
        boolean lost = acknowledged.stream().anyMatch(s -> stored.getOrDefault(s, 0) != 1)
            || stored.values().stream().anyMatch(n -> n != 1);
        if (lost) {
            // Keep the evidence: the queue directories, the Maildir and the daemon log.
            Path keep = Path.of(System.getProperty("java.io.tmpdir"), "mailserver-kill9-" + System.currentTimeMillis());
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.toList()) {
                    Path target = keep.resolve(dir.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            System.out.println("kill -9 test failed; state kept in " + keep);
        }
        for (String s : acknowledged) {
            assertEquals(1, stored.getOrDefault(s, 0), s + " was acknowledged with 250 but stored " + stored.getOrDefault(s, 0) + " times");
        }
        for (Map.Entry<String, Integer> e : stored.entrySet()) {
            assertEquals(1, e.getValue(), e.getKey() + " stored twice");
        }
        System.out.println("kill -9 test: " + acknowledged.size() + " acknowledged, " + stored.size() + " stored");
    }
}
