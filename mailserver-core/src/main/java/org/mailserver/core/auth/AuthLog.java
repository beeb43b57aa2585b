package org.mailserver.core.auth;

import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth log lines, in Dovecot's shape so fail2ban's dovecot filter matches them unchanged:
 * <pre>
 * auth: passwd-file(alice@example.test,203.0.113.5): unknown user (service=imap method=PLAIN rip=203.0.113.5)
 * auth: passwd-file(alice@example.test,203.0.113.5): password mismatch (service=smtp method=LOGIN rip=203.0.113.5)
 * auth: guard(alice@example.test,203.0.113.5): login refused: too many failures from this IP (... rip=203.0.113.5)
 * </pre>
 * Logger {@code org.mailserver.auth}, level INFO for failures, DEBUG for successes, ERROR for backend
 * problems. User names come from the network: control characters and spaces are replaced, length is capped.
 */
final class AuthLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.mailserver.auth");

    /** Refusals for a full worker queue, logged as one summary line at most every 10 s (a flood must not flood the log). */
    private static final java.util.concurrent.atomic.AtomicLong BUSY_REFUSALS = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong BUSY_LOGGED_AT = new java.util.concurrent.atomic.AtomicLong();

    private AuthLog() {
    }

    static void busy() {
        BUSY_REFUSALS.incrementAndGet();
        long now = System.nanoTime();
        long last = BUSY_LOGGED_AT.get();
        if ((last == 0 || now - last > 10_000_000_000L) && BUSY_LOGGED_AT.compareAndSet(last, now)) {
            LOG.warn("auth: workers busy: {} logins refused with a temporary failure (auth_worker_queue full)",
                BUSY_REFUSALS.getAndSet(0));
        }
    }

    static void failure(String source, String user, AuthContext ctx, String mechanism, String reason) {
        LOG.info("auth: {}({},{}): {} ({})", source, clean(user), ip(ctx), reason, details(ctx, mechanism));
    }

    static void success(String user, AuthContext ctx, String mechanism) {
        LOG.debug("auth: login: user=<{}>, {}", clean(user), details(ctx, mechanism));
    }

    /** A master user login is always logged (INFO): it is an administrator acting as someone else. */
    static void master(String master, String target, AuthContext ctx, String mechanism) {
        LOG.info("auth: master user {} logged in as {} ({})", clean(master), clean(target), details(ctx, mechanism));
    }

    static void backend(String source, String user, AuthContext ctx, String message) {
        LOG.error("auth: {}({},{}): {}", source, clean(user), ip(ctx), message);
    }

    private static String details(AuthContext ctx, String mechanism) {
        return "service=" + (ctx == null ? "?" : ctx.service()) + " method=" + mechanism + " rip=" + ip(ctx);
    }

    static String ip(AuthContext ctx) {
        InetSocketAddress r = ctx == null ? null : ctx.remote();
        if (r == null) {
            return "local";
        }
        return r.getAddress() != null ? r.getAddress().getHostAddress() : r.getHostString();
    }

    /** Makes a network-supplied name safe for one log line. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || Character.isWhitespace(c) || c == ',' || c == '(' || c == ')' ? '?' : c);
        }
        return b.toString();
    }
}
