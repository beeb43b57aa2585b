package org.mailserver.imap;

import java.time.Duration;
import org.mailserver.core.config.Settings;

/**
 * The IMAP settings of one connection, read once when it is accepted (a reload affects new connections).
 * Enforces the RFC bounds: login timeout at most 60 s, autologout at least 30 min (RFC 3501 5.4).
 */
public record ImapConfig(int maxLineLength, long appendLimit, int maxUserIpConnections, long loginTimeoutMillis,
                         long autologoutMillis, long idleNotifyMillis, int workerThreads, int workerSlots,
                         int searchPrebuildMessages, long inlineFetchMaxSize) {

    private static final long MAX_LOGIN_TIMEOUT = Duration.ofSeconds(60).toMillis();
    private static final long MIN_AUTOLOGOUT = Duration.ofMinutes(30).toMillis();

    public static ImapConfig from(Settings s) {
        return new ImapConfig(
            (int) Math.min(Integer.MAX_VALUE - 1024, s.getSize(ImapParameters.MAX_LINE_LENGTH)),
            s.getSize("message_size_limit"),
            s.getInt(ImapParameters.MAX_USERIP_CONNECTIONS),
            Math.min(MAX_LOGIN_TIMEOUT, s.getDuration(ImapParameters.LOGIN_TIMEOUT).toMillis()),
            Math.max(MIN_AUTOLOGOUT, s.getDuration(ImapParameters.AUTOLOGOUT).toMillis()),
            Math.max(1000, s.getDuration(ImapParameters.IDLE_NOTIFY_INTERVAL).toMillis()),
            Math.max(1, s.getInt(ImapParameters.WORKER_THREADS)),
            Math.max(0, s.getInt(ImapParameters.WORKER_SLOTS)),
            Math.max(0, s.getInt(ImapParameters.SEARCH_PREBUILD_MESSAGES)),
            Math.max(0, s.getSize(ImapParameters.INLINE_FETCH_MAX_SIZE)));
    }

    /** The same settings with another IDLE keepalive interval (tests only). */
    public ImapConfig withIdleNotifyMillis(long millis) {
        return new ImapConfig(maxLineLength, appendLimit, maxUserIpConnections, loginTimeoutMillis, autologoutMillis, millis, workerThreads, workerSlots,
            searchPrebuildMessages, inlineFetchMaxSize);
    }

    /** The same settings with a shorter login timeout (tests only). */
    public ImapConfig withLoginTimeoutMillis(long millis) {
        return new ImapConfig(maxLineLength, appendLimit, maxUserIpConnections, millis, autologoutMillis, idleNotifyMillis, workerThreads, workerSlots,
            searchPrebuildMessages, inlineFetchMaxSize);
    }
}
