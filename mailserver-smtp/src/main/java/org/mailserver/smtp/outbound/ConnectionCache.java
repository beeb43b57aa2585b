package org.mailserver.smtp.outbound;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle outbound sessions kept for a short time (Postfix's scache, {@code smtp_connection_cache_time_limit}),
 * keyed by destination, so a burst of messages to one domain reuses one connection instead of a TCP and
 * TLS handshake each. A session is handed to one worker at a time; expired ones are closed on access.
 */
final class ConnectionCache {
    private record Idle(SmtpClientSession session, long expiresAt) {
    }

    private final Map<String, Deque<Idle>> idle = new HashMap<>();
    private final long ttlMillis;

    ConnectionCache(java.time.Duration ttl) {
        this.ttlMillis = ttl.toMillis();
    }

    SmtpClientSession take(String destination) {
        while (true) {
            Idle i;
            synchronized (this) {
                Deque<Idle> q = idle.get(destination);
                i = q == null ? null : q.pollFirst();
            }
            if (i == null) {
                return null;
            }
            if (i.expiresAt > System.currentTimeMillis() && i.session.usable()) {
                return i.session;
            }
            i.session.close();
        }
    }

    void put(String destination, SmtpClientSession session) {
        if (ttlMillis <= 0 || !session.usable()) {
            session.close();
            return;
        }
        synchronized (this) {
            idle.computeIfAbsent(destination, k -> new ArrayDeque<>()).addLast(new Idle(session, System.currentTimeMillis() + ttlMillis));
        }
    }

    /** Closes sessions past their time; called on every delivery and at stop. */
    void expire(boolean all) {
        java.util.List<SmtpClientSession> toClose = new java.util.ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (this) {
            for (Deque<Idle> q : idle.values()) {
                q.removeIf(i -> {
                    if (all || i.expiresAt <= now) {
                        toClose.add(i.session);
                        return true;
                    }
                    return false;
                });
            }
            idle.values().removeIf(Deque::isEmpty);
        }
        toClose.forEach(SmtpClientSession::close);
    }
}
