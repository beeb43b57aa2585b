package org.mailserver.core.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's bounded pool for blocking work (disk, DNS, password hashing): a fixed number of daemon
 * threads and a bounded queue; a task beyond the queue is rejected with
 * {@link java.util.concurrent.RejectedExecutionException}, which callers turn into a temporary error
 * rather than letting memory grow.
 */
public final class BlockingExecutor extends ThreadPoolExecutor {

    public BlockingExecutor(int threads, int queueSize) {
        super(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queueSize)),
            namedDaemonThreads("blocking"), new AbortPolicy());
        allowCoreThreadTimeOut(true);
    }

    static ThreadFactory namedDaemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
