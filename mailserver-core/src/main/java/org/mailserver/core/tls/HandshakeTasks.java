package org.mailserver.core.tls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run the TLS engines' delegated tasks (server handshakes: key exchange, certificate signature) for
 * {@link ServerTls}'s handlers, so that an event loop thread keeps reading, encrypting and writing the traffic of
 * its established connections meanwhile. One thread per CPU (the work is CPU-bound), made on demand and ended after
 * a minute without handshakes; daemon threads, so they never hold the JVM up.
 *
 * <p>Crash guarantees: a task that finds the queue full runs on the calling event loop thread, as it did before
 * this pool existed (a flood of handshakes slows that loop, it is never refused); an exception in a task is the
 * engine's, reported by Netty's SslHandler on the channel as before.
 */
final class HandshakeTasks {
    static final Executor EXECUTOR = create();

    private HandshakeTasks() {
    }

    private static Executor create() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), r -> {
                Thread t = new Thread(r, "tls-handshake-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
