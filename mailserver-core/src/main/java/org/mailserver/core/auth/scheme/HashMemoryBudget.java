package org.mailserver.core.auth.scheme;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A bound on the memory that memory-hard password hashes (Argon2: 64 MiB each at libsodium's default) take at
 * once, in KiB: a verification waits until its memory fits, and one that could never fit is refused. Without
 * it, as many Argon2 checks as there are auth workers allocate at once, and a few concurrent logins of users with
 * {@code m=65536} hashes fill a 256 MiB heap (the daemon then exits on OutOfMemoryError). Thread-safe.
 */
final class HashMemoryBudget {
    private final long budgetKiB;
    private final Semaphore permits;
    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    HashMemoryBudget(long budgetKiB) {
        this.budgetKiB = Math.max(1, Math.min(Integer.MAX_VALUE, budgetKiB));
        this.permits = new Semaphore((int) this.budgetKiB, true);
    }

    /** A quarter of the heap, at least 64 MiB (one Argon2 check at libsodium's default always fits). */
    static HashMemoryBudget forThisHeap() {
        return new HashMemoryBudget(Math.max(64 * 1024, Runtime.getRuntime().maxMemory() / 1024 / 4));
    }

    /**
     * Runs {@code work}, which allocates about {@code kib} KiB, once that much of the budget is free; null without
     * running it when {@code kib} exceeds the whole budget.
     */
    <T> T use(int kib, Supplier<T> work) {
        if (kib > budgetKiB) {
            return null;
        }
        int n = Math.max(1, kib);
        permits.acquireUninterruptibly(n);
        try {
            peak.accumulateAndGet(inUse.addAndGet(n), Math::max);
            return work.get();
        } finally {
            inUse.addAndGet(-n);
            permits.release(n);
        }
    }

    /** The most KiB ever in use at once (tests). */
    long peakKiB() {
        return peak.get();
    }
}
