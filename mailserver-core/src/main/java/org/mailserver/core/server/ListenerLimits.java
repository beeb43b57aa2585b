package org.mailserver.core.server;

import java.time.Duration;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

/**
 * One listener's limits, read once per configuration so a malformed value refuses the (re)load
 * instead of failing at connection time.
 *
 * @param maxConnections listener_connection_limit
 * @param maxPerClient   smtpd_ or imap_client_connection_count_limit; 0 = unlimited
 * @param idleTimeout    listener_idle_timeout
 */
record ListenerLimits(int maxConnections, int maxPerClient, Duration idleTimeout) {

    static ListenerLimits from(String protocol, Settings settings) {
        boolean imap = "imap".equals(protocol);
        int max = settings.getInt("listener_connection_limit");
        int perClient = settings.getInt(imap ? "imap_client_connection_count_limit" : "smtpd_client_connection_count_limit");
        Duration idle = settings.getDuration("listener_idle_timeout");
        if (max < 1) {
            throw new ConfigException("listener_connection_limit: must be at least 1: \"" + max + "\"");
        }
        if (perClient < 0) {
            throw new ConfigException("client connection count limit must not be negative: \"" + perClient + "\"");
        }
        if (idle.isZero()) {
            throw new ConfigException("listener_idle_timeout: must be more than 0");
        }
        return new ListenerLimits(max, perClient, idle);
    }
}
