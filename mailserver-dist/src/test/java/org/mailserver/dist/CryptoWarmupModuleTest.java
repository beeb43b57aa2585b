package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.server.DaemonModule;

/** The start-up crypto and mailbox warm-up: does all its work without failing, and is found as a daemon module. */
@Timeout(60)
class CryptoWarmupModuleTest {
    @Test
    void runsEveryStepWithoutFailing() {
        // 384 AES-GCM records + 4 SHA512-CRYPT verifications + every message of every mailbox round;
        // a failure would stop it early.
        assertEquals(384 + 4 + MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS, CryptoWarmupModule.run(() -> false));
    }

    @Test
    void withOpenSslServingTlsTheJdkCipherIsNotWarmed() {
        // only the 4 password verifications and the mailbox rounds
        assertEquals(4 + MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS, CryptoWarmupModule.run(false, () -> false));
    }

    @Test
    void mailboxWarmupRendersEveryMessageAndRemovesItsDirectory() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = warmupDirs(tmp);
        assertEquals(MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS,
            MailboxWarmup.run(System.nanoTime() + TimeUnit.SECONDS.toNanos(30), () -> false));
        assertEquals(before, warmupDirs(tmp), "its temporary Maildir is deleted");
    }

    @Test
    void mailboxWarmupStopsAtItsDeadline() throws Exception {
        assertEquals(0, MailboxWarmup.run(System.nanoTime(), () -> false));
    }

    @Test
    void mailboxWarmupGivesWayToARealClient() throws Exception {
        assertEquals(0, MailboxWarmup.run(System.nanoTime() + TimeUnit.SECONDS.toNanos(30), () -> true));
        AtomicInteger asked = new AtomicInteger();
        int rendered = MailboxWarmup.run(System.nanoTime() + TimeUnit.SECONDS.toNanos(30), () -> asked.incrementAndGet() > 2000);
        assertTrue(rendered < MailboxWarmup.MESSAGES * MailboxWarmup.ROUNDS, "stopped when the client came: " + rendered);
    }

    private static Set<Path> warmupDirs(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("mailserver-warmup")).collect(Collectors.toSet());
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
