package org.mailserver.core.auth;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The auth layer's threads: a fixed pool of workers with a bounded queue for lookups and password hashing
 * (when the queue is full, {@link RejectedExecutionException}: the caller fails the login temporarily rather
 * than letting a flood pile up), and one timer thread that completes delayed answers, so no thread sleeps
 * through a failure delay. Daemon threads; {@link #close()} lets queued and scheduled work finish.
 */
final class AuthExecutors implements AutoCloseable {
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;

    AuthExecutors(int threads, int queue) {
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
            daemonThreads("auth-worker"));
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("auth-delay"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} on a worker; throws RejectedExecutionException when the queue is full. */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, workers);
    }

    void execute(Runnable task) {
        workers.execute(task);
    }

    /** Completes with {@code value} after {@code delay} on the timer thread. */
    <T> CompletableFuture<T> later(T value, Duration delay) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (delay.isZero() || delay.isNegative()) {
            f.complete(value);
        } else {
            timer.schedule(() -> f.complete(value), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return f;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory base = Executors.defaultThreadFactory();
        return r -> {
            Thread t = base.newThread(r);
            t.setName(prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        workers.shutdown();
        timer.shutdown();
    }
}
