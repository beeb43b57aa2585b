package org.mailserver.imap.session;

import java.util.concurrent.Future;
import org.mailserver.imap.ImapConfig;

/**
 * The session's two timers: the inactivity timeout (re-armed by each complete command: imap_login_timeout
 * before login, imap_autologout_timeout after, RFC 3501 5.4) and the IDLE keepalive ("* OK Still here" every
 * imap_idle_notify_interval). Event loop only.
 */
final class SessionTimers {
    private final ImapTransport transport;
    private final ImapConfig config;
    private Future<?> timeout;
    private Future<?> keepalive;
    private Future<?> loginDeadline;

    /**
     * An absolute limit on the time before login, three login timeouts (3 minutes by default, like Dovecot's
     * login processes): a client that keeps completing commands (NOOP, CAPABILITY) cannot stay unauthenticated.
     */
    void startLoginDeadline(Runnable onExpiry) {
        loginDeadline = transport.schedule(onExpiry, 3 * config.loginTimeoutMillis());
    }

    void loggedIn() {
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
    }

    SessionTimers(ImapTransport transport, ImapConfig config) {
        this.transport = transport;
        this.config = config;
    }

    /** (Re)starts the inactivity timer; {@code onExpiry} gets whether the user was logged in. */
    void arm(boolean loggedIn, java.util.function.Consumer<Boolean> onExpiry) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        long millis = loggedIn ? config.autologoutMillis() : config.loginTimeoutMillis();
        timeout = transport.schedule(() -> onExpiry.accept(loggedIn), millis);
    }

    /** Starts or stops the IDLE keepalive; {@code tick} writes and flushes the keepalive line. */
    void idle(boolean idling, Runnable tick) {
        if (keepalive != null) {
            keepalive.cancel(false);
            keepalive = null;
        }
        if (idling) {
            keepalive = transport.schedule(() -> {
                tick.run();
                idle(true, tick);
            }, config.idleNotifyMillis());
        }
    }

    void cancel() {
        loggedIn();
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (keepalive != null) {
            keepalive.cancel(false);
        }
    }
}
