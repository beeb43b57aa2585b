package org.mailserver.core.queue;

import java.time.Duration;
import java.util.function.ToIntFunction;
import org.mailserver.core.config.Settings;

/**
 * The queue manager's tunables, read once from {@link Settings} (see {@link QueueParameters}).
 *
 * @param concurrencyLimit per transport: {@code <transport>_destination_concurrency_limit} or the default
 */
public record QueueManagerConfig(Duration queueRunDelay, Duration minimalBackoff, Duration maximalBackoff,
                                 Duration maximalLifetime, Duration bounceLifetime, Duration delayWarning,
                                 long bounceSizeLimit, int activeLimit, int processLimit, int recipientLimit,
                                 Duration rateDelay, ToIntFunction<String> concurrencyLimit, String hostname) {

    public static QueueManagerConfig from(Settings s) {
        int defaultLimit = s.getInt("default_destination_concurrency_limit");
        ToIntFunction<String> limits = transport -> {
            String name = transport + "_destination_concurrency_limit";
            return s.get(name) == null ? defaultLimit : s.getInt(name);
        };
        String host = s.getString("myhostname");
        if (host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getCanonicalHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
        }
        return new QueueManagerConfig(s.getDuration("queue_run_delay"), s.getDuration("minimal_backoff_time"),
            s.getDuration("maximal_backoff_time"), s.getDuration("maximal_queue_lifetime"),
            s.getDuration("bounce_queue_lifetime"), s.getDuration("delay_warning_time"), s.getSize("bounce_size_limit"),
            s.getInt("qmgr_message_active_limit"), s.getInt("default_process_limit"),
            s.getInt("default_destination_recipient_limit"), s.getDuration("default_destination_rate_delay"), limits, host);
    }

    /** Exponential backoff: minimal, doubled per attempt, capped at maximal (Postfix qmgr's shape). */
    public Duration backoff(int attempts) {
        long min = Math.max(1, minimalBackoff.toMillis());
        int shift = Math.min(Math.max(attempts - 1, 0), 30);
        long ms = Math.min(min << shift, Math.max(min, maximalBackoff.toMillis()));
        return Duration.ofMillis(ms);
    }
}
