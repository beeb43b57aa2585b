package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class DeliveryThreadsTest {

    @Test
    void aTrickleOfTasksRunsOnTheSameHotThread() throws Exception {
        DeliveryThreads pool = new DeliveryThreads("t", 100);
        try {
            // Warm up a few threads at once, as a burst would.
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(5);
            for (int i = 0; i < 5; i++) {
                pool.execute(() -> {
                    started.countDown();
                    await(release);
                });
            }
            assertTrue(started.await(5, TimeUnit.SECONDS));
            release.countDown();
            awaitIdle(pool, 5);
            // Then one task at a time: each goes to the thread that went idle last.
            Set<String> used = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 50; i++) {
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(() -> {
                    used.add(Thread.currentThread().getName());
                    done.countDown();
                });
                assertTrue(done.await(5, TimeUnit.SECONDS));
                Thread.sleep(1); // let the thread go back to the idle stack
            }
            assertTrue(used.size() <= 2, "a fixed pool would rotate through all 5 threads: " + used);
            assertEquals(5, pool.threads(), "no thread created for the trickle");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void atTheLimitTasksWaitAndAllRun() throws Exception {
        DeliveryThreads pool = new DeliveryThreads("t", 2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(10);
        CountDownLatch blocking = new CountDownLatch(2);
        for (int i = 0; i < 10; i++) {
            int n = i;
            pool.execute(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                if (n < 2) {
                    blocking.countDown();
                    await(release);
                }
                running.decrementAndGet();
                all.countDown();
            });
        }
        assertEquals(2, pool.threads());
        assertTrue(blocking.await(5, TimeUnit.SECONDS), "two tasks run at once");
        release.countDown();
        assertTrue(all.await(5, TimeUnit.SECONDS));
        assertEquals(2, maxRunning.get(), "never more than the limit");
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        assertTrue(pool.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    @Test
    void waitingTasksRunInArrivalOrder() throws Exception {
        DeliveryThreads pool = new DeliveryThreads("t", 1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        pool.execute(() -> await(release));
        for (int i = 0; i < 5; i++) {
            int n = i;
            pool.execute(() -> order.add(n));
        }
        release.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS), "shutdown lets submitted tasks finish");
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void idleThreadsEndAfterTheKeepAlive() throws Exception {
        DeliveryThreads pool = new DeliveryThreads("t", 4, TimeUnit.MILLISECONDS.toNanos(50));
        CountDownLatch done = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            pool.execute(() -> {
                await(release);
                done.countDown();
            });
        }
        assertEquals(3, pool.threads());
        release.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.threads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, pool.threads());
        CountDownLatch again = new CountDownLatch(1);
        pool.execute(again::countDown);
        assertTrue(again.await(5, TimeUnit.SECONDS), "a new thread is made when needed again");
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void shutdownNowInterruptsRunningAndReturnsWaitingTasks() throws Exception {
        DeliveryThreads pool = new DeliveryThreads("t", 1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Runnable waiting = () -> { };
        pool.execute(waiting);
        assertEquals(List.of(waiting), pool.shutdownNow());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    private static void awaitIdle(DeliveryThreads pool, int threads) throws InterruptedException {
        // all threads have finished and parked: a task now goes to an idle thread, none is created
        Thread.sleep(50);
        assertEquals(threads, pool.threads());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
