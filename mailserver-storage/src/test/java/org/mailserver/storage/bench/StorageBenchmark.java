package org.mailserver.storage.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Flag;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.Mailbox.StoreMode;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.maildir.MaildirMailStoreProvider;
import org.mailserver.storage.support.StoreLocalDelivery;

/**
 * The storage benchmark behind docs/benchmarks.md (not a timed test: it runs only with
 * {@code -Dbench=true}). It measures our Maildir store and, when Dovecot is installed, Dovecot doing
 * the same work on the same machine in the same run (see {@link DovecotBench}):
 * <pre>
 *   mvn -q -o -pl mailserver-storage -am test -Dtest=StorageBenchmark -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Results are printed as a Markdown table on stdout. Sizes: {@code -Dbench.messages=10000}
 * (open/flags/expunge mailbox), {@code -Dbench.deliveries=2000}.
 */
class StorageBenchmark {
    static final int MESSAGES = Integer.getInteger("bench.messages", 10_000);
    static final int DELIVERIES = Integer.getInteger("bench.deliveries", 2_000);

    @Test
    void run() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmark runs only with -Dbench=true");
        Path dir = Files.createTempDirectory("storage-bench");
        List<String> rows = new ArrayList<>();
        rows.add("| work | ours | Dovecot 2.3 | notes |");
        rows.add("|---|---|---|---|");
        try (DovecotBench dovecot = Boolean.parseBoolean(System.getProperty("bench.dovecot", "true"))
                ? DovecotBench.start(dir.resolve("dovecot")) : null) {
            // Deliveries with fsync (mail_fsync = optimized): one mailbox, then 50 mailboxes with 8 threads.
            boolean skipDeliveries = Boolean.getBoolean("bench.skipDeliveries");
            double one = skipDeliveries ? 0 : deliveries(dir.resolve("d1"), 1, 1);
            double fifty = skipDeliveries ? 0 : deliveries(dir.resolve("d50"), 50, 8);
            String dOne = dovecot == null || skipDeliveries ? "n/a" : String.format("%.0f/s", dovecot.lmtpDeliveries(1, DELIVERIES, 1));
            String dFifty = dovecot == null || skipDeliveries ? "n/a" : String.format("%.0f/s", dovecot.lmtpDeliveries(50, DELIVERIES, 8));
            rows.add(String.format("| %d deliveries into 1 mailbox, 1 thread | %.0f/s | %s | ours: LocalDelivery in-process; Dovecot: LMTP over a unix socket, one connection |", DELIVERIES, one, dOne));
            rows.add(String.format("| %d deliveries into 50 mailboxes, 8 threads | %.0f/s | %s | same; Dovecot: 8 LMTP connections |", DELIVERIES, fifty, dFifty));

            // The daemon is long-running: warm the JVM up on a separate, smaller mailbox first.
            Path warmup = dir.resolve("warmup");
            build(warmup, 2000);
            for (int i = 0; i < 3; i++) {
                openAndFetch(warmup, true);
                openAndFetch(warmup, false);
            }
            // A mailbox of MESSAGES messages, built once (without fsync, it is set-up), copied for Dovecot.
            Path ours = dir.resolve("ours");
            build(ours, MESSAGES);
            if (dovecot != null) {
                dovecot.importCopyOf(ours.resolve("big"));
            }
            // Let the directories age past the 2 s dirty window, as any mailbox not written this very moment.
            Thread.sleep(2500);
            long cold = openAndFetch(ours, true);
            long[] warm = new long[5];
            openAndFetch(ours, false);
            for (int i = 0; i < warm.length; i++) {
                warm[i] = openAndFetch(ours, false);
            }
            String dCold = dovecot == null ? "n/a" : dovecot.fetchEnvelopes(true) + " ms";
            String dWarm = "n/a";
            if (dovecot != null) {
                long[] dw = new long[5];
                dovecot.fetchEnvelopes(false);
                for (int i = 0; i < dw.length; i++) {
                    dw[i] = dovecot.fetchEnvelopes(false);
                }
                dWarm = median(dw) + " ms";
            }
            rows.add(String.format("| open %d messages + FLAGS + ENVELOPE, cold (no index) | %d ms | %s | ours: list + stat every file, open every file for its header, fill index and cache; Dovecot: `doveadm fetch 'uid flags imap.envelope'` after deleting its dovecot.index* files (process start included) |", MESSAGES, cold, dCold));
            rows.add(String.format("| same, warm (index + cache) | %d ms | %s | median of 5; ours: new provider (no in-memory state), index read, no message file opened; Dovecot: the same doveadm again (process start included) |", median(warm), dWarm));
            long flags = flagUpdate(ours);
            String dFlags = dovecot == null ? "n/a" : dovecot.flagUpdate() + " ms";
            rows.add(String.format("| flag update of 1000 messages | %d ms | %s | ours: one STORE +FLAGS (1000 renames) on an open mailbox; Dovecot: `doveadm flags add '\\Flagged' ... uid 1:1000` (process start included) |", flags, dFlags));
            long expunge = expunge(ours);
            String dExpunge = dovecot == null ? "n/a" : dovecot.expunge() + " ms";
            rows.add(String.format("| expunge of 1000 messages | %d ms | %s | ours: one expunge of 1000 UIDs on an open mailbox; Dovecot: `doveadm expunge ... uid 1001:2000` (process start included) |", expunge, dExpunge));
        } finally {
            deleteTree(dir);
        }
        System.out.println("\n" + String.join("\n", rows) + "\n");
    }

    static long median(long[] values) {
        long[] copy = values.clone();
        java.util.Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    static Settings settings(Path root, boolean fsync) {
        return Settings.of(Map.of("mail_location", "maildir:" + root + "/%n", "mail_fsync", fsync ? "optimized" : "never"));
    }

    static UserInfo user(String name) {
        return new UserInfo(name, "0", "0", null, null, Map.of());
    }

    static byte[] message(int i) {
        return ("From: Sender " + i + " <sender" + i + "@example.org>\r\nTo: user@example.net\r\nSubject: benchmark message " + i
            + "\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <" + i + "@example.org>\r\n\r\n"
            + ("Hello, this is line of message number " + i + ".\r\n").repeat(20)).getBytes(StandardCharsets.US_ASCII);
    }

    /** Deliveries per second through LocalDelivery with fsync. */
    static double deliveries(Path root, int mailboxes, int threads) throws Exception {
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings(root, true));
        LocalDelivery lda = new StoreLocalDelivery(provider, settings(root, true));
        for (int m = 0; m < mailboxes; m++) {
            provider.open(user("u" + m)).close();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < DELIVERIES; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                LocalDelivery.Result r = lda.deliver(user("u" + (n % mailboxes)), null, "sender@example.org", "u@example.net",
                    new ByteArrayInputStream(message(n)));
                if (!r.ok()) {
                    throw new IllegalStateException(r.toString());
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
        return DELIVERIES / seconds;
    }

    static void build(Path root, int count) throws Exception {
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings(root, false));
        try (MailStore store = provider.open(user("big")); Mailbox box = store.open("INBOX")) {
            for (int i = 0; i < count; i++) {
                box.append(new ByteArrayInputStream(message(i)), i % 3 == 0 ? Set.of(Flag.SEEN) : Set.of(), Set.of(), null);
            }
        }
    }

    /** Opens the mailbox with a fresh provider and gets FLAGS + an envelope-like header set of every message. */
    static long openAndFetch(Path root, boolean cold) throws Exception {
        if (cold) {
            Files.deleteIfExists(root.resolve("big/mailserver.index"));
        }
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings(root, false));
        long start = System.nanoTime();
        try (MailStore store = provider.open(user("big")); Mailbox box = store.open("INBOX")) {
            int flagged = 0;
            for (MessageMeta m : box.messages()) {
                flagged += m.flags().size();
                byte[] env = box.cached(m.uid(), "envelope").orElse(null);
                if (env == null) {
                    env = envelope(box.open(m.uid()));
                    box.putCache(m.uid(), "envelope", env);
                }
                if (env.length == 0) {
                    throw new IllegalStateException("no envelope");
                }
            }
            if (flagged == 0) {
                throw new IllegalStateException("no flags");
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The header fields an IMAP ENVELOPE is made of, as the IMAP layer would cache them (header read only). */
    static byte[] envelope(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1), 2048)) {
            for (String line; (line = r.readLine()) != null && !line.isEmpty(); ) {
                String lower = line.length() > 12 ? line.substring(0, 12).toLowerCase() : line.toLowerCase();
                if (lower.startsWith("from:") || lower.startsWith("to:") || lower.startsWith("subject:") || lower.startsWith("date:")
                    || lower.startsWith("message-id:") || lower.startsWith("cc:") || lower.startsWith("reply-to:")) {
                    out.append(line).append('\n');
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static long flagUpdate(Path root) throws Exception {
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings(root, false));
        try (MailStore store = provider.open(user("big")); Mailbox box = store.open("INBOX")) {
            List<Long> uids = new ArrayList<>();
            for (long u = 1; u <= 1000; u++) {
                uids.add(u);
            }
            long start = System.nanoTime();
            box.store(uids, StoreMode.ADD, Set.of(Flag.FLAGGED), Set.of(), 0);
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    static long expunge(Path root) throws Exception {
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(settings(root, false));
        try (MailStore store = provider.open(user("big")); Mailbox box = store.open("INBOX")) {
            List<Long> uids = new ArrayList<>();
            for (long u = 1001; u <= 2000; u++) {
                uids.add(u);
            }
            long start = System.nanoTime();
            box.expunge(uids);
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
