package org.mailserver.storage.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Dovecot side of {@link StorageBenchmark}: a private Dovecot (LMTP only, on a unix socket in its
 * own base_dir, Maildir under the benchmark directory, default {@code mail_fsync = optimized}) and
 * doveadm for the mailbox operations. Null from {@link #start} when Dovecot is not installed.
 */
final class DovecotBench implements AutoCloseable {
    private final Path dir;
    private final Path conf;
    private final boolean root;

    private DovecotBench(Path dir, Path conf, boolean root) {
        this.dir = dir;
        this.conf = conf;
        this.root = root;
    }

    static DovecotBench start(Path dir) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/dovecot"))) {
            return null;
        }
        Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("base"));
        for (Path p = dir; p != null && p.startsWith(dir.getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        String uid = root ? "65534" : run(dir, "id", "-u").trim();
        String user = root ? "nobody" : System.getProperty("user.name");
        String group = root ? run(dir, "id", "-gn", "nobody").trim() : run(dir, "id", "-gn").trim();
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, String.join("\n",
            "protocols = lmtp",
            "base_dir = " + dir.resolve("base"),
            "state_dir = " + dir.resolve("base/state"),
            "log_path = " + dir.resolve("dovecot.log"),
            "ssl = no",
            "postmaster_address = postmaster@example.net",
            "mail_location = maildir:" + dir.resolve("mail") + "/%n",
            "passdb {", "  driver = static", "  args = password=x", "}",
            "userdb {", "  driver = static", "  args = uid=" + uid + " gid=" + uid + " home=" + dir.resolve("mail") + "/%n", "}",
            "namespace inbox {", "  inbox = yes", "  separator = /", "}",
            "service lmtp {", "  unix_listener lmtp {", "    mode = 0666", "  }", "}",
            "default_internal_user = " + user, "default_internal_group = " + group, "default_login_user = " + user, "") + "\n");
        DovecotBench b = new DovecotBench(dir, conf, root);
        b.chown();
        run(dir, "/usr/sbin/dovecot", "-c", conf.toString());
        return b;
    }

    private void chown() throws Exception {
        if (root) {
            run(dir, "chown", "-R", "65534:65534", dir.resolve("mail").toString());
        }
    }

    /** Deliveries per second over LMTP, one connection per thread, one message per transaction. */
    double lmtpDeliveries(int mailboxes, int total, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        String prefix = "l" + mailboxes + "_";
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("base/lmtp")))) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.US_ASCII));
                    OutputStream out = Channels.newOutputStream(ch);
                    reply(in);
                    send(out, "LHLO bench\r\n");
                    reply(in);
                    for (int i = thread; i < total; i += threads) {
                        send(out, "MAIL FROM:<sender@example.org>\r\n");
                        reply(in);
                        send(out, "RCPT TO:<" + prefix + (i % mailboxes) + ">\r\n");
                        reply(in);
                        send(out, "DATA\r\n");
                        reply(in);
                        out.write(StorageBenchmark.message(i));
                        send(out, ".\r\n");
                        String r = reply(in);
                        if (!r.startsWith("250")) {
                            throw new IllegalStateException("LMTP: " + r);
                        }
                    }
                    send(out, "QUIT\r\n");
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return total / seconds;
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    /** A copy of our benchmark mailbox as Dovecot user "big". */
    void importCopyOf(Path maildir) throws Exception {
        run(dir, "cp", "-a", maildir.toString(), dir.resolve("mail/big").toString());
        chown();
    }

    /** Milliseconds for doveadm to fetch uid, flags and envelope of every message. */
    long fetchEnvelopes(boolean cold) throws Exception {
        if (cold) {
            try (Stream<Path> s = Files.list(dir.resolve("mail/big"))) {
                for (Path p : s.toList()) {
                    if (p.getFileName().toString().startsWith("dovecot.index") || p.getFileName().toString().startsWith("dovecot.list.index")) {
                        Files.delete(p);
                    }
                }
            }
        }
        return timed("fetch", "-u", "big", "uid flags imap.envelope", "mailbox", "INBOX", "all");
    }

    long flagUpdate() throws Exception {
        return timed("flags", "add", "-u", "big", "\\Flagged", "mailbox", "INBOX", "uid", "1:1000");
    }

    long expunge() throws Exception {
        return timed("expunge", "-u", "big", "mailbox", "INBOX", "uid", "1001:2000");
    }

    private long timed(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/doveadm", "-c", conf.toString()));
        cmd.addAll(List.of(args));
        long start = System.nanoTime();
        run(dir, cmd.toArray(new String[0]));
        return (System.nanoTime() - start) / 1_000_000;
    }

    static String run(Path dir, String... cmd) throws Exception {
        Path out = Files.createTempFile("bench-cmd", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(out));
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() throws Exception {
        run(dir, "/usr/bin/doveadm", "-c", conf.toString(), "stop");
    }
}
