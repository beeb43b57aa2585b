package org.mailserver.core.server;

import java.util.Map;

/**
 * One master.cf line as the listener framework needs it: service name, protocol, listen address and
 * the {@code -o} overrides. (Interim shape until the configuration layer's own master.cf record is
 * wired in; see {@code org.mailserver.core.daemon.DaemonConfig}.)
 */
public record ListenerSpec(String serviceName, String protocol, String address, Map<String, String> overrides) {
    public ListenerSpec {
        overrides = Map.copyOf(overrides);
    }
}
