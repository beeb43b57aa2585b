package org.mailserver.core.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue manager's delivery threads: up to {@code default_process_limit} of them (Postfix's limit on
 * delivery agent processes), created when needed, each new task handed to the thread that became idle
 * last (a stack), and a thread idle for {@link #KEEP_ALIVE_SECONDS} ends. Tasks beyond the limit wait in
 * arrival order.
 *
 * <p>Why not {@code Executors.newFixedThreadPool}: its idle threads take tasks in the order they went
 * idle, so a steady trickle of local deliveries (one SMTP session) rotated through all 100 threads, each
 * with a cold stack and caches, and kept all 100 alive (their stacks are about 100 KB each, measured with
 * native memory tracking). Here the same trickle runs on one or two hot threads, and the many threads that
 * slow remote destinations need exist only while they are needed.
 *
 * <p>Thread-safe. {@link #shutdown()} lets submitted tasks finish; {@link #shutdownNow()} interrupts
 * running ones and returns those that had not started.
 */
final class DeliveryThreads extends AbstractExecutorService {
    private static final Logger log = LoggerFactory.getLogger(DeliveryThreads.class);
    static final long KEEP_ALIVE_SECONDS = 60;

    private final String name;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allEnded = lock.newCondition();
    /** Idle workers, the most recently idle first. */
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
    private final Set<Worker> workers = new HashSet<>();
    private int started;
    private boolean shutdown;

    DeliveryThreads(String name, int maxThreads) {
        this(name, maxThreads, TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS));
    }

    DeliveryThreads(String name, int maxThreads, long keepAliveNanos) {
        this.name = name;
        this.maxThreads = Math.max(1, maxThreads);
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    public void execute(Runnable task) {
        java.util.Objects.requireNonNull(task);
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException(name + ": shut down");
            }
            Worker w = idle.pollFirst();
            if (w != null) {
                w.next = task;
                w.wake.signal();
            } else if (workers.size() < maxThreads) {
                w = new Worker(task);
                workers.add(w);
                w.thread.start();
            } else {
                backlog.addLast(task);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Threads alive now (tests). */
    int threads() {
        lock.lock();
        try {
            return workers.size();
        } finally {
            lock.unlock();
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final Condition wake = lock.newCondition();
        Runnable next;

        Worker(Runnable first) {
            this.next = first;
            this.thread = new Thread(this, name + "-" + (++started));
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            Runnable task = takeNext();
            while (task != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    // the queue manager's jobs catch their own failures; this is the last resort
                    log.error("{}: a delivery task failed", thread.getName(), t);
                }
                task = takeNext();
            }
        }

        /** The next task: the backlog's oldest, or one handed over while idle; null when this thread ends. */
        private Runnable takeNext() {
            lock.lock();
            try {
                if (next != null) {
                    Runnable r = next;
                    next = null;
                    return r;
                }
                Runnable queued = backlog.pollFirst();
                if (queued != null) {
                    return queued;
                }
                idle.addFirst(this);
                long nanos = keepAliveNanos;
                while (next == null && !shutdown && nanos > 0) {
                    try {
                        nanos = wake.awaitNanos(nanos);
                    } catch (InterruptedException e) {
                        break; // shutdownNow
                    }
                }
                if (next != null) {
                    Runnable r = next; // execute() took this worker off the idle stack
                    next = null;
                    return r;
                }
                idle.remove(this);
                workers.remove(this);
                if (workers.isEmpty()) {
                    allEnded.signalAll();
                }
                return null;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            for (Worker w : idle) {
                w.wake.signal();
            }
            if (workers.isEmpty()) {
                allEnded.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        lock.lock();
        try {
            shutdown();
            List<Runnable> notStarted = new ArrayList<>(backlog);
            backlog.clear();
            for (Worker w : workers) {
                w.thread.interrupt();
            }
            return notStarted;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return shutdown && workers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(shutdown && workers.isEmpty())) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = allEnded.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
