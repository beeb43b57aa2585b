package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.server.DaemonModule;

/** The start-up crypto and mailbox warm-up: does all its work without failing, and is found as a daemon module. */
@Timeout(60)
class CryptoWarmupModuleTest {
    @TempDir
    Path data;

    @Test
    void runsEveryStepWithoutFailing() {
        // 384 AES-GCM records + 4 SHA512-CRYPT verifications + every message of every mailbox round;
        // a failure would stop it early.
        assertEquals(384 + 4 + MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS, CryptoWarmupModule.run(data, () -> false));
    }

    @Test
    void withOpenSslServingTlsTheJdkCipherIsNotWarmed() {
        // only the 4 password verifications and the mailbox rounds
        assertEquals(4 + MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS, CryptoWarmupModule.run(false, data, () -> false));
    }

    @Test
    void mailboxWarmupRendersEveryMessageAndRemovesItsDirectory() throws Exception {
        assertEquals(MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS,
            MailboxWarmup.run(data, System.nanoTime() + TimeUnit.SECONDS.toNanos(30), () -> false));
        assertEquals(List.of(), listing(data), "its Maildir is deleted");
    }

    @Test
    void aMaildirLeftByAKilledDaemonIsDeletedByTheNextStart() throws Exception {
        // what a kill -9 during the warm-up leaves: a half-written Maildir of the warm-up's own
        Path left = data.resolve(MailboxWarmup.DIRECTORY).resolve("warmup").resolve("cur");
        Files.createDirectories(left);
        Files.write(left.resolve("1704067200.M1P1.warmup.invalid,S=3:2,S"), new byte[] {'a', '\r', '\n'});
        Files.createDirectories(data.resolve("queue"));
        assertEquals(MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS,
            MailboxWarmup.run(data, System.nanoTime() + TimeUnit.SECONDS.toNanos(30), () -> false),
            "the leftover message is not counted: the directory was emptied first");
        assertEquals(List.of("queue"), listing(data), "the warm-up's directory is gone, nothing else touched");
    }

    @Test
    void mailboxWarmupStopsAtItsDeadline() throws Exception {
        assertEquals(0, MailboxWarmup.run(data, System.nanoTime(), () -> false));
    }

    @Test
    void mailboxWarmupGivesWayToARealClient() throws Exception {
        assertEquals(0, MailboxWarmup.run(data, System.nanoTime() + TimeUnit.SECONDS.toNanos(30), () -> true));
        AtomicInteger asked = new AtomicInteger();
        int rendered = MailboxWarmup.run(data, System.nanoTime() + TimeUnit.SECONDS.toNanos(30), () -> asked.incrementAndGet() > 2000);
        assertTrue(rendered < MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS, "stopped when the client came: " + rendered);
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void isRegisteredAsADaemonModuleAndStartsLast() {
        int highestOther = Integer.MIN_VALUE;
        boolean found = false;
        for (DaemonModule m : ServiceLoader.load(DaemonModule.class)) {
            if (m instanceof CryptoWarmupModule) {
                found = true;
            } else {
                highestOther = Math.max(highestOther, m.order());
            }
        }
        assertTrue(found, "META-INF/services registers it");
        assertTrue(new CryptoWarmupModule().order() > highestOther, "after every other module");
    }
}
