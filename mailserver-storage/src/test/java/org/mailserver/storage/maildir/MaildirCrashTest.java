package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;

/**
 * Fault injection: a child JVM ({@link CrashWorker}) delivers, flags and expunges with fsync on and
 * is killed with SIGKILL at a random moment, several times over the same Maildir. After each kill a
 * fresh store (as after a restart) must show: every message reported delivered and never chosen for
 * expunge, under the UID it was given, complete (no torn file), flagged if reported flagged; no UID
 * twice and no UID ever naming another message; UIDVALIDITY unchanged; UIDNEXT never lower. The
 * worker compacts its index log from 64 records on (not 4096), so compactions inside flag changes and
 * expunges happen in every run, not only in the rare long one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MaildirCrashTest {
    private static final int ROUNDS = 4;

    @TempDir
    Path tmp;

    @Test
    void killedDuringDeliveriesAndFlagUpdatesLosesNothingAndReusesNoUid() throws Exception {
        Random random = new Random();
        Map<Long, Long> delivered = new HashMap<>();   // seq -> uid
        Set<Long> flagged = new HashSet<>();
        Set<Long> expunging = new HashSet<>();
        Map<Long, Long> everSeen = new HashMap<>();    // uid -> seq, across all rounds
        long validity = 0;
        long uidNext = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // Each round numbers its messages in its own range, so a duplicate can only come from the store.
            List<String> lines = runAndKill((round + 1) * 1_000_000L, random.nextLong(), 400 + random.nextInt(1200));
            for (String line : lines) {
                String[] p = line.split(" ");
                switch (p[0]) {
                    case "DELIVERED" -> {
                        delivered.put(Long.parseLong(p[1]), Long.parseLong(p[2]));
                    }
                    case "FLAGGED" -> flagged.add(Long.parseLong(p[1]));
                    case "EXPUNGING" -> expunging.add(Long.parseLong(p[1]));
                    case "ERROR" -> fail("worker failed: " + line);
                    default -> { }
                }
            }
            MaildirMailStoreProvider provider = new MaildirMailStoreProvider(
                Settings.of(Map.of("mail_location", "maildir:" + tmp + "/%n")));
            try (MailStore store = provider.open(new UserInfo("crash", "0", "0", null, null, Map.of()));
                 Mailbox box = store.open("INBOX")) {
                if (validity == 0) {
                    validity = box.uidValidity();
                }
                assertEquals(validity, box.uidValidity(), "UIDVALIDITY must not change");
                assertTrue(box.uidNext() >= uidNext, "UIDNEXT went down");
                uidNext = box.uidNext();
                Map<Long, Long> present = new HashMap<>();   // uid -> seq
                Set<Long> seqs = new HashSet<>();
                for (MessageMeta m : box.messages()) {
                    String text = new String(box.open(m.uid()).readAllBytes(), StandardCharsets.US_ASCII);
                    int i = text.indexOf("X-Seq: ");
                    long s = Long.parseLong(text.substring(i + 7, text.indexOf('\r', i)));
                    assertTrue(text.endsWith("END-OF-MESSAGE " + s + "\r\n"), "torn message uid " + m.uid());
                    assertEquals(text.length(), m.size(), "size of uid " + m.uid());
                    if (!seqs.add(s)) {
                        Long other = present.entrySet().stream().filter(e -> e.getValue() == s).map(Map.Entry::getKey).findFirst().orElse(-1L);
                        fail("message " + s + " present twice, uids " + other + " and " + m.uid() + "; round " + round
                            + "; delivered as " + delivered.get(s) + "\n" + String.join("\n", Files.readAllLines(tmp.resolve("crash/dovecot-uidlist")))
                            + "\n" + listing(tmp.resolve("crash")));
                    }
                    assertNull(present.put(m.uid(), s));
                    Long before = everSeen.put(m.uid(), s);
                    assertTrue(before == null || before == s, "UID " + m.uid() + " reused for another message");
                    assertTrue(m.uid() < uidNext);
                    if (flagged.contains(m.uid())) {
                        assertTrue(m.flags().contains(Flag.FLAGGED), "lost flag on uid " + m.uid());
                    }
                }
                for (Map.Entry<Long, Long> d : delivered.entrySet()) {
                    if (!expunging.contains(d.getValue()) && !d.getKey().equals(present.get(d.getValue()))) {
                        Long now = present.entrySet().stream().filter(e -> e.getValue().equals(d.getKey())).map(Map.Entry::getKey)
                            .findFirst().orElse(null);
                        List<String> mentions = new ArrayList<>();
                        for (String l : lines) {
                            if (l.endsWith(" " + d.getValue()) || l.contains(" " + d.getKey() + " ")) {
                                mentions.add(l);
                            }
                        }
                        fail("delivered message " + d.getKey() + " as uid " + d.getValue() + " missing; now under uid " + now
                            + "; round " + round + "; worker said " + mentions + "\n"
                            + String.join("\n", Files.readAllLines(tmp.resolve("crash/dovecot-uidlist"))) + "\n" + listing(tmp.resolve("crash")));
                    }
                }
                try (Stream<Path> s = Files.list(tmp.resolve("crash/new"))) {
                    assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "tmp file visible in new/");
                }
            }
        }
        org.slf4j.LoggerFactory.getLogger(MaildirCrashTest.class).info("crash test: {} rounds, {} delivered, {} flagged, {} expunge attempts",
            ROUNDS, delivered.size(), flagged.size(), expunging.size());
        assertTrue(delivered.size() > ROUNDS, "the worker made too little progress to test anything: " + delivered.size());
    }

    private static String listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return String.join("\n", s.map(p -> root.relativize(p).toString()).sorted().toList());
        }
    }

    private List<String> runAndKill(long firstSeq, long seed, long millis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile(tmp, "worker", ".log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx128m",
            CrashWorker.class.getName(), tmp.toString(), String.valueOf(firstSeq), String.valueOf(seed), log.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // Wait until the worker is really working, then let it run a random while and kill it.
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && p.isAlive() && Files.size(log) == 0) {
            Thread.sleep(20);
        }
        Thread.sleep(millis);
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        List<String> whole = new ArrayList<>();
        for (String l : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
            if (l.matches("(DELIVERED \\d+ \\d+|FLAGGED \\d+|EXPUNGING \\d+|ERROR .*)")) {
                whole.add(l);
            }
        }
        Files.delete(log);
        return whole;
    }
}
