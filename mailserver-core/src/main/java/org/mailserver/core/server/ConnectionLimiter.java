package org.mailserver.core.server;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts one listener's open connections, in total and per client IP address, and admits a new one
 * only within the limits. Thread-safe: child channels are initialised on several event loops. A slot
 * is released when its channel closes. Unix-domain connections have no IP and count only in total.
 */
final class ConnectionLimiter {

    /** The outcome for one new connection. */
    enum Verdict { ACCEPTED, TOO_MANY, TOO_MANY_FROM_IP }

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();

    Verdict admit(Channel channel, ListenerLimits limits) {
        if (total.incrementAndGet() > limits.maxConnections()) {
            total.decrementAndGet();
            return Verdict.TOO_MANY;
        }
        InetAddress ip = channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (ip != null) {
            boolean[] admitted = {true};
            perIp.compute(ip, (k, n) -> {
                int count = n == null ? 0 : n;
                if (limits.maxPerClient() > 0 && count >= limits.maxPerClient()) {
                    admitted[0] = false;
                    return n;
                }
                return count + 1;
            });
            if (!admitted[0]) {
                total.decrementAndGet();
                return Verdict.TOO_MANY_FROM_IP;
            }
        }
        channel.closeFuture().addListener(f -> release(ip));
        return Verdict.ACCEPTED;
    }

    private void release(InetAddress ip) {
        total.decrementAndGet();
        if (ip != null) {
            perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    int open() {
        return total.get();
    }
}
