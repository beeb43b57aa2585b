package org.mailserver.core.auth.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Memory-hard hashes running at once stay within their budget; one that can never fit is refused. */
@Timeout(30)
class HashMemoryBudgetTest {

    @Test
    void concurrentUsesWaitUntilTheirMemoryFits() throws Exception {
        HashMemoryBudget budget = new HashMemoryBudget(100);
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> budget.use(40, () -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return done.incrementAndGet();
            }));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(6, done.get());
        assertEquals(80, budget.peakKiB(), "two of 40 KiB fit in 100 at a time, never three");
    }

    @Test
    void workLargerThanTheWholeBudgetIsRefusedWithoutRunning() {
        HashMemoryBudget budget = new HashMemoryBudget(100);
        assertNull(budget.use(101, () -> {
            throw new AssertionError("must not run");
        }));
        assertEquals("ran", budget.use(100, () -> "ran"));
    }

    @Test
    void argon2ChecksAtLibsodiumsDefaultFitEvenASmallHeapsBudget() {
        // the daemon's 256 MiB heap gives 64 MiB: one check at m=65536 at a time, never none
        assertTrue(new HashMemoryBudget(256L * 1024 / 4).use(65536, () -> Boolean.TRUE));
        assertTrue(HashMemoryBudget.forThisHeap().use(65536, () -> Boolean.TRUE));
    }
}
