package org.mailserver.core.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One master.cf line: a listener the daemon binds.
 *
 * @param serviceName the first column, unique in the file ({@code smtp}, {@code submission}, ...)
 * @param protocol    {@code smtp}, {@code lmtp} or {@code imap}
 * @param address     where to listen
 * @param overrides   the {@code -o name=value} options, in order, raw (expanded when read)
 * @param file        the master.cf file
 * @param line        the line the definition starts on
 */
public record ListenerDefinition(String serviceName, String protocol, ListenAddress address,
                                 Map<String, String> overrides, Path file, int line) {

    public ListenerDefinition {
        overrides = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overrides));
    }

    /** {@code "/etc/mailserver/master.cf:12"}, for messages. */
    public String location() {
        return file + ":" + line;
    }

    /**
     * main.cf with this listener's overrides on top; an error in an override names this master.cf line.
     */
    public Settings settings(Settings main) {
        if (overrides.isEmpty()) {
            return main;
        }
        if (main instanceof ConfigurationSettings cs) {
            Map<String, String> locations = new HashMap<>();
            overrides.keySet().forEach(name -> locations.put(name, location()));
            return cs.withOverrides(overrides, locations);
        }
        return main.withOverrides(overrides);
    }
}
