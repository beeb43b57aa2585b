package org.mailserver.imap.session;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The IMAP sessions' pool for blocking work (disk, index, MIME parsing), fair between sessions the way a
 * process per client is under the OS scheduler (Dovecot's model), within bounded threads:
 * <ul>
 *   <li>At most {@code slots} tasks run at once (about the CPU count: more would only time-slice the same
 *       cores and starve the event loops); up to {@code maxThreads} threads exist, lazily.</li>
 *   <li>Each session has a {@link Lane} that accumulates the time its tasks ran (its virtual run time, as in
 *       Linux's CFS). A free slot goes to the waiting task whose lane has run least; a lane that was idle
 *       starts one quantum ahead of the waiting tasks ({@code minVruntime}) rather than banking more credit,
 *       and one that ran much earlier starts at most {@value #LONG_TASK_MILLIS} ms behind them. So a LOGIN or
 *       SELECT of a new session runs next, ahead of the fortieth batch of another session's FETCH 1:*, and
 *       a SEARCH after a big FETCH is not held back for long.</li>
 *   <li>Long loops call {@link #yieldPoint()} (FETCH per message, SEARCH per message): after a quantum
 *       ({@value #QUANTUM_MILLIS} ms) of running, and only when some other task waits, the task gives its slot
 *       back and queues for one like any other; its thread stays parked meanwhile, so no continuation is
 *       needed. A yield point must be where the thread holds no lock (a parked lock holder could stall the
 *       tasks given its slot).</li>
 *   <li>A task that has held a slot for {@value #LONG_TASK_MILLIS} ms, and used a tenth of that in CPU time
 *       (where the JVM can tell a thread's), is long (after four times that in a slot, whatever its CPU time):
 *       it then waits behind every short one, and long tasks take slots in the order they were first
 *       submitted. A long task yields at its next yield point, without waiting for its quantum to end, when a
 *       new task waits for a slot. Sharing the CPU evenly between 50 FETCH 1:* would make all of them finish
 *       late together; first come, first served among them lets the first finish early, while short commands
 *       still pass them all. Why the CPU time: with 50 clients on 2 cores a thread may wait tens of ms for a
 *       core while it holds a slot, and without it a SEARCH that needed 1.2 ms of CPU became long and waited
 *       1-3 s behind other sessions' FETCH 1:* (the p99 of SEARCH at 50 clients, in 4 of 9 server-only runs;
 *       with it in 1 of 9, and in 2 of 6 benchmark runs: rarer, not gone). Why only a tenth: with a quarter,
 *       FETCH 1:* itself stayed short under that load and shared the slots, and their median rose by half.</li>
 *   <li>A task that must wait for something other than the CPU while it keeps its place (a FETCH waiting for
 *       its client to take the previous chunk) waits in {@link #lendSlotWhile}: meanwhile its slot serves new
 *       commands only, never another long task, and the task takes a slot again before it goes on. Why: with
 *       10 clients that read 10,000 envelopes slowly, all slots were held by FETCH 1:* waiting for their
 *       clients, and a STORE or SELECT of another session waited for one of those clients to read (up to 7 ms
 *       for a slot, timed in the server; with lending mostly under 0.1 ms). Giving the slot up entirely (tried, reverted in bbe5ad0) let more
 *       FETCH 1:* render at once and made every short command slower.</li>
 * </ul>
 * More than {@code maxQueued} tasks waiting for a first slot are refused with
 * {@link RejectedExecutionException}, which {@link ImapSession#blocking} turns into a temporary NO. A task's
 * own order is unchanged: each session still runs its commands one at a time and answers in order.
 * Threads are daemon threads that end after a minute without work. Thread-safe.
 */
public final class FairWorkPool {
    static final long QUANTUM_MILLIS = 5;
    static final long LONG_TASK_MILLIS = 20;
    private static final long KEEP_ALIVE_SECONDS = 60;
    private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_CPU =
        THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    /** Short before long; short ones by their lane's run time, long ones by first submission. */
    private static final Comparator<Ticket> ORDER = Comparator.<Ticket, Boolean>comparing(t -> t.longTask)
        .thenComparingLong(t -> t.key).thenComparingLong(t -> t.seq);

    /** One session's share of the pool: how long its tasks have run (guarded by the pool's lock). */
    public static final class Lane {
        private long vruntime;
        /** This lane's tasks in {@code fresh} (usually none or one: a session runs one command at a time). */
        private final ArrayDeque<Ticket> queued = new ArrayDeque<>(1);
    }

    private final int maxThreads;
    private final int slots;
    private final int maxQueued;
    private final long quantumNanos;
    private final long longTaskNanos;
    private final long longTaskCpuNanos;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** New tasks, waiting for a slot and a thread. */
    private final PriorityQueue<Ticket> fresh = new PriorityQueue<>(ORDER);
    /** Yielded tasks, waiting (on their parked thread) for a slot. */
    private final PriorityQueue<Ticket> parked = new PriorityQueue<>(ORDER);
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private int freeSlots;
    /** Slots whose tasks wait in {@link #lendSlotWhile}: for new commands only (not in freeSlots). */
    private int lentSlots;
    private int threads;
    private long seq;
    private long minVruntime;
    private volatile int waiting;
    /** How many of {@link #waiting} are new tasks (commands not yet started), read by {@link #yieldPoint()}. */
    private volatile int freshWaiting;

    public FairWorkPool(String name, int maxThreads, int slots, int maxQueued) {
        this(name, maxThreads, slots, maxQueued, TimeUnit.MILLISECONDS.toNanos(QUANTUM_MILLIS));
    }

    FairWorkPool(String name, int maxThreads, int slots, int maxQueued, long quantumNanos) {
        this.name = name;
        this.maxThreads = Math.max(1, maxThreads);
        this.slots = Math.max(1, Math.min(slots, this.maxThreads));
        this.maxQueued = Math.max(1, maxQueued);
        this.quantumNanos = quantumNanos;
        this.longTaskNanos = 4 * quantumNanos;
        this.longTaskCpuNanos = quantumNanos * 2 / 5;
        this.freeSlots = this.slots;
    }

    /** Slots for a machine: twice the CPUs, at least 4 (a task waiting on the disk holds its slot). */
    public static int defaultSlots() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    public Lane newLane() {
        return new Lane();
    }

    /**
     * A lane for speculative background work (no client waits on it): placed as if it had already run a
     * long task, so sessions' waiting short commands get slots before it.
     */
    public Lane newBackgroundLane() {
        Lane lane = new Lane();
        lane.vruntime = Long.MAX_VALUE / 4; // clamped to the latest placement by execute
        return lane;
    }

    /** Queues a task of this lane; throws RejectedExecutionException when too many are waiting. */
    public void execute(Lane lane, Runnable task) {
        lock.lock();
        try {
            if (fresh.size() >= maxQueued) {
                throw new RejectedExecutionException(name + ": " + fresh.size() + " tasks waiting");
            }
            // CFS placement: a lane that waited on its client banks no credit beyond one quantum, which puts a
            // session coming back with a new command just ahead of the tasks already waiting; and a lane that
            // ran much in the past (a FETCH 1:* earlier) is held back by at most a long task's worth, so its
            // next short command does not wait until every other session has caught up
            lane.vruntime = Math.min(Math.max(lane.vruntime, minVruntime - quantumNanos), minVruntime + longTaskNanos);
            Ticket t = new Ticket(lane, task, lane.vruntime, seq++, null, false);
            lane.queued.add(t);
            fresh.add(t);
            grant(null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by long loops between two units of work, holding no lock: when the current task of a pool
     * thread has run a quantum and other tasks wait, it queues for a slot again. Cheap otherwise; a no-op
     * on threads that are not this kind of pool's.
     */
    public static void yieldPoint() {
        Running r = CURRENT.get();
        if (r == null || r.pool.waiting == 0) {
            return;
        }
        long now = System.nanoTime();
        long slice = now - r.sliceStart;
        // A long task gives way at once to a new command waiting for a slot (which is ordered before every long
        // task, so the yield always hands the slot over): waiting for its quantum to end made a FETCH BODY[] of
        // one message wait about quantum / slots behind other sessions' FETCH 1:*, most of its latency.
        if (slice >= r.pool.quantumNanos
            || (r.pool.freshWaiting > 0 && r.ran + slice >= r.pool.longTaskNanos)) {
            r.pool.yieldSlot(r, now);
        }
    }

    /** A wait that returns false when it timed out. */
    @FunctionalInterface
    public interface Wait {
        boolean await() throws InterruptedException;
    }

    /**
     * Waits for something other than the CPU (a client reading), holding no lock: the current task's slot
     * serves new commands meanwhile, and the task queues for a slot again before it returns. Just waits on
     * threads that are not this kind of pool's. Returns what the wait returned.
     */
    public static boolean lendSlotWhile(Wait wait) throws InterruptedException {
        Running r = CURRENT.get();
        if (r == null) {
            return wait.await();
        }
        r.pool.lend(r);
        try {
            return wait.await();
        } finally {
            r.pool.reclaim(r);
        }
    }

    private void lend(Running r) {
        long now = System.nanoTime();
        long cpu = cpuNow() - r.sliceCpuStart;
        lock.lock();
        try {
            endSlice(r, now, cpu);
            lentSlots++;
            grant(null);
        } finally {
            lock.unlock();
        }
    }

    private void reclaim(Running r) {
        lock.lock();
        try {
            if (lentSlots > 0) {
                lentSlots--; // not taken meanwhile (this task's or another lender's: slots are alike)
            } else {
                waitForSlot(r);
            }
        } finally {
            lock.unlock();
        }
        r.startSlice();
    }

    /** Books the slice that ends now (wall and CPU time) to the task and its lane; the lock is held. */
    private void endSlice(Running r, long now, long cpu) {
        charge(r.lane, now - r.sliceStart);
        r.ran += now - r.sliceStart;
        r.cpuRan += cpu;
    }

    /**
     * Parks the task until a slot is granted to it: long ones in order of first submission, short ones by their
     * lane's run time; the lock is held (and released while waiting).
     */
    private void waitForSlot(Running r) {
        // long by its time in slots, unless its thread spent nearly all of that time waiting for a core
        boolean isLong = r.ran >= longTaskNanos && (r.cpuRan >= longTaskCpuNanos || r.ran >= 4 * longTaskNanos);
        Ticket t = isLong
            ? new Ticket(r.lane, null, r.firstSeq, r.firstSeq, lock.newCondition(), true)
            : new Ticket(r.lane, null, r.lane.vruntime, seq++, lock.newCondition(), false);
        parked.add(t);
        grant(null);
        while (!t.granted) {
            t.wake.awaitUninterruptibly();
        }
    }

    /** The calling thread's CPU time in ns, or the wall clock where the JVM cannot tell it. */
    private static long cpuNow() {
        return THREAD_CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private void yieldSlot(Running r, long now) {
        long cpu = cpuNow() - r.sliceCpuStart;
        lock.lock();
        try {
            endSlice(r, now, cpu);
            freeSlots++;
            waitForSlot(r);
        } finally {
            lock.unlock();
        }
        r.startSlice();
    }

    /**
     * Adds run time to a lane, and moves its waiting tasks back accordingly (their place depends on the
     * lane's run time now, not when they were queued); the lock is held.
     */
    private void charge(Lane lane, long nanos) {
        lane.vruntime += nanos;
        for (Ticket t : lane.queued) {
            fresh.remove(t);
            t.key = lane.vruntime;
            fresh.add(t);
        }
    }

    /**
     * Hands free slots to the waiting tasks whose lanes have run least, then lent slots to new tasks; the lock
     * is held.
     */
    private void grant(Worker self) {
        while (freeSlots > 0 || lentSlots > 0) {
            boolean lent = freeSlots == 0;
            Ticket p = lent ? null : parked.peek(); // a lent slot runs new commands only
            Ticket n = fresh.peek();
            boolean threadFor = n != null && ((self != null && self.ticket == null) || !idle.isEmpty() || threads < maxThreads);
            if (p != null && (!threadFor || ORDER.compare(p, n) <= 0)) {
                parked.poll();
                freeSlots--;
                if (!p.longTask) {
                    minVruntime = Math.max(minVruntime, p.key);
                }
                p.granted = true;
                p.wake.signal();
            } else if (threadFor) {
                fresh.poll();
                n.lane.queued.remove(n);
                if (lent) {
                    lentSlots--; // from here on an ordinary slot: freed when the task ends
                } else {
                    freeSlots--;
                }
                minVruntime = Math.max(minVruntime, n.key);
                if (self != null && self.ticket == null) {
                    self.ticket = n; // the finishing thread takes it: no hand-off
                } else if (!idle.isEmpty()) {
                    Worker w = idle.pop();
                    w.ticket = n;
                    w.wake.signal();
                } else if (!startWorker(n)) {
                    if (lent) { // no thread to be had now: the task waits for one to finish its work
                        lentSlots++;
                    } else {
                        freeSlots++;
                    }
                    fresh.add(n);
                    n.lane.queued.add(n);
                    break;
                }
            } else {
                break;
            }
        }
        waiting = fresh.size() + parked.size();
        // only when a thread can take one: otherwise a yield would hand the slot straight back, at every message
        freshWaiting = !idle.isEmpty() || threads < maxThreads ? fresh.size() : 0;
    }

    /** Starts a thread for this task; false when the system has none to give (the lock is held). */
    private boolean startWorker(Ticket first) {
        Worker w = new Worker(lock.newCondition());
        w.ticket = first;
        Thread th = new Thread(() -> work(w), name + "-" + (threads + 1));
        th.setDaemon(true);
        try {
            th.start();
        } catch (OutOfMemoryError | IllegalThreadStateException e) {
            return false;
        }
        threads++;
        return true;
    }

    private void work(Worker me) {
        while (true) {
            Ticket t;
            lock.lock();
            try {
                while (me.ticket == null) {
                    idle.push(me);
                    boolean woken;
                    try {
                        woken = me.wake.await(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        woken = false;
                    }
                    if (me.ticket == null) {
                        idle.remove(me);
                        if (!woken) {
                            threads--;
                            return;
                        }
                    }
                }
                t = me.ticket;
                me.ticket = null;
            } finally {
                lock.unlock();
            }
            Running r = new Running(this, t.lane, t.seq);
            CURRENT.set(r);
            try {
                t.task.run();
            } catch (Throwable e) {
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            } finally {
                CURRENT.remove();
                lock.lock();
                try {
                    charge(r.lane, System.nanoTime() - r.sliceStart);
                    freeSlots++;
                    grant(me);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Tasks holding a slot or waiting for one, the caller's own included: background work (the SEARCH index
     * build after SELECT) runs only while it is alone, so that it never competes with sessions' commands.
     */
    public int activeTasks() {
        lock.lock();
        try {
            return slots - freeSlots + fresh.size() + parked.size();
        } finally {
            lock.unlock();
        }
    }

    /** Tasks waiting for a slot (tests, monitoring). */
    public int waiting() {
        return waiting;
    }

    /** Threads currently alive (tests). */
    int threads() {
        lock.lock();
        try {
            return threads;
        } finally {
            lock.unlock();
        }
    }

    private static final class Ticket {
        final Lane lane;
        final Runnable task;
        /** Short: the lane's run time; long: the task's first submission number. */
        long key;
        final long seq;
        final Condition wake;
        final boolean longTask;
        boolean granted;

        Ticket(Lane lane, Runnable task, long key, long seq, Condition wake, boolean longTask) {
            this.lane = lane;
            this.task = task;
            this.key = key;
            this.seq = seq;
            this.wake = wake;
            this.longTask = longTask;
        }
    }

    private static final class Worker {
        final Condition wake;
        Ticket ticket;

        Worker(Condition wake) {
            this.wake = wake;
        }
    }

    private static final class Running {
        final FairWorkPool pool;
        final Lane lane;
        /** The submission number of the task, which orders it among long tasks. */
        final long firstSeq;
        /** When the current slice began: wall clock and the thread's CPU time. */
        long sliceStart;
        long sliceCpuStart;
        /** How long the task has held a slot so far, and the CPU time it used (slices before the current one). */
        long ran;
        long cpuRan;

        Running(FairWorkPool pool, Lane lane, long firstSeq) {
            this.pool = pool;
            this.lane = lane;
            this.firstSeq = firstSeq;
            startSlice();
        }

        void startSlice() {
            sliceStart = System.nanoTime();
            sliceCpuStart = cpuNow();
        }
    }
}
