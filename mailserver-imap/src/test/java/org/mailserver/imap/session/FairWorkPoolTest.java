package org.mailserver.imap.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The IMAP work pool: bounded, slot-limited, fair between sessions, with yield points. */
@Timeout(20)
class FairWorkPoolTest {

    private static void spin(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void runsEveryTaskWithinItsSlotAndThreadBounds() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 3, 2, 1000);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            pool.execute(pool.newLane(), () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                spin(1);
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(most.get() <= 2, "at most 2 at once, saw " + most.get());
        assertTrue(pool.threads() <= 3);
    }

    @Test
    void aShortTaskOfAnotherSessionRunsWhileALongOneYields() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 4, 1, 1000, TimeUnit.MILLISECONDS.toNanos(2));
        AtomicLong longEnd = new AtomicLong();
        AtomicLong shortEnd = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        pool.execute(pool.newLane(), () -> {
            started.countDown();
            for (int i = 0; i < 300; i++) { // ~300 ms of work in 1 ms units
                spin(1);
                FairWorkPool.yieldPoint();
            }
            longEnd.set(System.nanoTime());
            done.countDown();
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        spin(20);
        long submitted = System.nanoTime();
        pool.execute(pool.newLane(), () -> {
            shortEnd.set(System.nanoTime());
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(shortEnd.get() < longEnd.get(), "the short task did not wait for the long one");
        assertTrue(shortEnd.get() - submitted < TimeUnit.MILLISECONDS.toNanos(150),
            "waited " + (shortEnd.get() - submitted) / 1_000_000 + " ms");
    }

    @Test
    void aNewSessionGoesAheadOfASessionThatAlreadyUsedTheSlots() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 2, 1, 1000);
        FairWorkPool.Lane heavy = pool.newLane();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(12);
        pool.execute(heavy, () -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            spin(5);
            order.add("heavy-0");
            done.countDown();
        });
        for (int i = 1; i <= 10; i++) {
            String name = "heavy-" + i;
            pool.execute(heavy, () -> {
                spin(3);
                order.add(name);
                done.countDown();
            });
        }
        gate.countDown();
        spin(15); // heavy-0 and a few more have run: the heavy lane has used the slot a while
        pool.execute(pool.newLane(), () -> {
            order.add("login");
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        int at = order.indexOf("login");
        assertTrue(at >= 0 && at < 8, "the new session's task ran at position " + at + " of " + order);
    }

    @Test
    void longTasksTakeTurnsInArrivalOrderBehindShortOnes() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 4, 1, 1000, TimeUnit.MILLISECONDS.toNanos(1));
        AtomicInteger bDone = new AtomicInteger();
        AtomicInteger bAtAEnd = new AtomicInteger(-1);
        AtomicLong shortEnd = new AtomicLong();
        AtomicLong aEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch(3);
        pool.execute(pool.newLane(), () -> {
            for (int i = 0; i < 100; i++) {
                spin(1);
                FairWorkPool.yieldPoint();
            }
            bAtAEnd.set(bDone.get());
            aEnd.set(System.nanoTime());
            done.countDown();
        });
        spin(10); // A is long by now
        pool.execute(pool.newLane(), () -> {
            for (int i = 0; i < 100; i++) {
                spin(1);
                bDone.incrementAndGet();
                FairWorkPool.yieldPoint();
            }
            done.countDown();
        });
        spin(20);
        pool.execute(pool.newLane(), () -> {
            shortEnd.set(System.nanoTime());
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(shortEnd.get() < aEnd.get(), "the short task passed the long ones");
        // B ran only while it was still short (a few ms), then waited for A: first come, first served
        assertTrue(bAtAEnd.get() < 30, "B had done " + bAtAEnd.get() + " of 100 units when A ended");
    }

    /**
     * Long takes some CPU time too: a task whose thread mostly waits while it holds a slot (here it sleeps; with
     * 50 clients on 2 cores it waits for a core) stays short, and is not queued behind long tasks submitted
     * before it. Measured: a SEARCH that used 1.2 ms of CPU waited up to 3 s behind other sessions' FETCH 1:*.
     */
    @Test
    void aTaskThatWaitsWithoutUsingTheCpuStaysShort() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 4, 1, 1000, TimeUnit.MILLISECONDS.toNanos(5));
        AtomicLong longEnd = new AtomicLong();
        AtomicLong waiterEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch(2);
        pool.execute(pool.newLane(), () -> {
            for (int i = 0; i < 200; i++) {
                spin(1);
                FairWorkPool.yieldPoint();
            }
            longEnd.set(System.nanoTime());
            done.countDown();
        });
        spin(30); // the first task is long by now (20 ms in its slot, 2 ms of CPU)
        pool.execute(pool.newLane(), () -> {
            for (int i = 0; i < 25; i++) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                FairWorkPool.yieldPoint();
            }
            waiterEnd.set(System.nanoTime());
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        // by its time in the slot alone it would be long after 20 ms and wait for the 200 ms task to end
        assertTrue(waiterEnd.get() < longEnd.get(), "the waiting task finished "
            + (waiterEnd.get() - longEnd.get()) / 1_000_000 + " ms after the long one");
    }

    @Test
    void aSessionThatRanMuchEarlierIsNotHeldBackUntilEveryoneCaughtUp() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 8, 1, 1000, TimeUnit.MILLISECONDS.toNanos(1));
        FairWorkPool.Lane heavy = pool.newLane();
        CountDownLatch first = new CountDownLatch(1);
        pool.execute(heavy, () -> {
            spin(100); // one big command, no yield point: the lane is charged 100 ms
            first.countDown();
        });
        assertTrue(first.await(5, TimeUnit.SECONDS));
        // five other sessions each send 30 commands of 2 ms, one after the other
        CountDownLatch chains = new CountDownLatch(5);
        AtomicLong chainsEnd = new AtomicLong();
        for (int c = 0; c < 5; c++) {
            FairWorkPool.Lane lane = pool.newLane();
            AtomicInteger left = new AtomicInteger(30);
            Runnable[] step = new Runnable[1];
            step[0] = () -> {
                spin(2);
                if (left.decrementAndGet() > 0) {
                    pool.execute(lane, step[0]);
                } else {
                    chainsEnd.set(System.nanoTime());
                    chains.countDown();
                }
            };
            pool.execute(lane, step[0]);
        }
        spin(10);
        long submitted = System.nanoTime();
        AtomicLong shortEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        pool.execute(heavy, () -> {
            shortEnd.set(System.nanoTime());
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(chains.await(10, TimeUnit.SECONDS));
        assertTrue(shortEnd.get() < chainsEnd.get(), "the heavy session's short command waited for all the others");
        assertTrue(shortEnd.get() - submitted < TimeUnit.MILLISECONDS.toNanos(150),
            "waited " + (shortEnd.get() - submitted) / 1_000_000 + " ms");
    }

    @Test
    void aNewCommandDoesNotWaitForTheQuantumOfLongTasksToEnd() throws Exception {
        // one slot, two long tasks taking turns with a 150 ms quantum: a new command used to wait until the
        // running one's slice ended (75 ms on average); now the long task gives way at its next yield point
        long quantum = TimeUnit.MILLISECONDS.toNanos(150);
        FairWorkPool pool = new FairWorkPool("t", 8, 1, 1000, quantum);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch longDone = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.execute(pool.newLane(), () -> {
                while (!stop.get()) {
                    spin(1);
                    FairWorkPool.yieldPoint();
                }
                longDone.countDown();
            });
        }
        spin(1500); // both are long now (each has run 4 quanta, 600 ms, or more)
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicLong startedAt = new AtomicLong();
            long submitted = System.nanoTime();
            pool.execute(pool.newLane(), () -> {
                startedAt.set(System.nanoTime());
                ran.countDown();
            });
            assertTrue(ran.await(5, TimeUnit.SECONDS));
            delays.add(TimeUnit.NANOSECONDS.toMillis(startedAt.get() - submitted));
            spin(50 + 37L * i); // land at different points of the long tasks' slices
        }
        stop.set(true);
        assertTrue(longDone.await(5, TimeUnit.SECONDS));
        Collections.sort(delays);
        assertTrue(delays.get(1) < 40, "a new command waited " + delays + " ms for a slot");
    }

    @Test
    void aNewCommandRunsInTheSlotOfATaskWaitingForItsClient() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 4, 1, 1000);
        CountDownLatch clientRead = new CountDownLatch(1);
        CountDownLatch lending = new CountDownLatch(1);
        CountDownLatch shortDone = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicLong fetchResumed = new AtomicLong();
        AtomicLong shortEnded = new AtomicLong();
        CountDownLatch fetchDone = new CountDownLatch(1);
        pool.execute(pool.newLane(), () -> { // a FETCH 1:* whose client reads slowly
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                running.decrementAndGet();
                lending.countDown();
                assertTrue(FairWorkPool.lendSlotWhile(() -> clientRead.await(5, TimeUnit.SECONDS)));
                fetchResumed.set(System.nanoTime());
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                spin(5);
                running.decrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fetchDone.countDown();
        });
        assertTrue(lending.await(5, TimeUnit.SECONDS));
        pool.execute(pool.newLane(), () -> { // a STORE of another session: runs without waiting for the client
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            shortDone.countDown();
            clientRead.countDown(); // the client reads now, while this task still holds the lent slot
            spin(30);
            shortEnded.set(System.nanoTime());
            running.decrementAndGet();
        });
        assertTrue(shortDone.await(2, TimeUnit.SECONDS), "the new command waited for the slow client");
        assertTrue(fetchDone.await(5, TimeUnit.SECONDS));
        // the waiting task took its slot back only after the borrower ended: never more than one slot in use
        assertTrue(fetchResumed.get() >= shortEnded.get(), "the lender resumed while its slot was lent");
        assertEquals(1, most.get());
    }

    @Test
    void aLentSlotIsNotGivenToAnotherLongTask() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 4, 1, 1000, TimeUnit.MILLISECONDS.toNanos(1));
        CountDownLatch clientRead = new CountDownLatch(1);
        CountDownLatch lending = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong longRanWhileLent = new AtomicLong();
        AtomicInteger lendingNow = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2);
        pool.execute(pool.newLane(), () -> { // long: yields, parked behind the lender's slot
            started.countDown();
            for (int i = 0; i < 100; i++) {
                spin(1);
                if (lendingNow.get() == 1) {
                    longRanWhileLent.incrementAndGet();
                }
                FairWorkPool.yieldPoint();
            }
            done.countDown();
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        pool.execute(pool.newLane(), () -> { // gets the slot when the long task yields, then waits for its client
            try {
                lendingNow.set(1);
                lending.countDown();
                FairWorkPool.lendSlotWhile(() -> clientRead.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        assertTrue(lending.await(5, TimeUnit.SECONDS));
        spin(50); // the lent slot stays unused: the parked long task does not take it
        assertEquals(0, longRanWhileLent.get());
        lendingNow.set(0);
        clientRead.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    @Test
    void refusesBeyondTheQueueBound() throws Exception {
        FairWorkPool pool = new FairWorkPool("t", 1, 1, 2);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(3);
        Runnable blocked = () -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        };
        pool.execute(pool.newLane(), blocked); // runs
        pool.execute(pool.newLane(), blocked); // waits
        pool.execute(pool.newLane(), blocked); // waits
        assertThrows(RejectedExecutionException.class, () -> pool.execute(pool.newLane(), () -> { }));
        gate.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(0, pool.waiting());
    }
}
