package org.mailserver.core.tls;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the server's TLS handshakes do their expensive steps: the JDK's SSLEngine hands the processing of
 * handshake messages (key exchange, the CertificateVerify signature) to "delegated tasks", which Netty's
 * SslHandler otherwise runs on the event loop. Fifty clients connecting at once then queued every established
 * session's next command on that loop behind milliseconds of X25519 and RSA work each; here they run on their
 * own threads and the loop goes on serving commands (LOGIN, a one-message FETCH) in between. The connection's
 * handshake continues on its event loop once the task is done (Netty does that hand-back).
 *
 * <p>One pool for the process: as many threads as CPUs (the work is pure CPU), daemon threads that end after a
 * minute idle, queue unbounded (each entry is one connection's handshake step, bounded by the connections the
 * listeners accept). Thread-safe.
 */
final class HandshakeExecutor {
    private static final Executor POOL = create();

    private HandshakeExecutor() {
    }

    static Executor get() {
        return POOL;
    }

    private static Executor create() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tls-handshake-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
