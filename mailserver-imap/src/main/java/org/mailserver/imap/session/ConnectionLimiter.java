package org.mailserver.imap.session;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts logged-in sessions per user and client IP, for Dovecot's {@code mail_max_userip_connections}.
 * Shared by all IMAP listeners of the daemon; thread-safe (each update is one atomic map compute).
 */
public final class ConnectionLimiter {
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    /** Takes a slot; false (and nothing taken) when the user already has {@code max} sessions from this IP. 0 = no limit. */
    public boolean tryAcquire(String user, String ip, int max) {
        boolean[] ok = new boolean[1];
        counts.compute(user + "\0" + ip, (k, n) -> {
            int c = n == null ? 0 : n;
            ok[0] = max <= 0 || c < max;
            return ok[0] ? c + 1 : n;
        });
        return ok[0];
    }

    public void release(String user, String ip) {
        counts.computeIfPresent(user + "\0" + ip, (k, n) -> n <= 1 ? null : n - 1);
    }
}
