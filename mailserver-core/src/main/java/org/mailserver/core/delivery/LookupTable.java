package org.mailserver.core.delivery;

import java.nio.file.Path;
import java.util.Optional;
import org.mailserver.core.config.MapSettings;
import org.mailserver.core.lookup.LookupException;
import org.mailserver.core.lookup.LookupTables;

/**
 * The routing parameters' view of a lookup table ({@code transport_maps}, {@code smtp_sasl_password_maps},
 * {@code smtp_tls_policy_maps}, {@code sender_dependent_relayhost_maps}) over the shared
 * {@link org.mailserver.core.lookup.LookupTables}. A table that cannot answer throws
 * {@link TableFailure}; the queue manager then defers the recipient (Postfix: "table lookup problem").
 */
@FunctionalInterface
public interface LookupTable {

    Optional<String> get(String key);

    LookupTable EMPTY = key -> Optional.empty();

    /** A lookup that failed: a temporary condition, never a "not found". */
    final class TableFailure extends RuntimeException {
        public TableFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Opens the tables a parameter value names, consulted in order. */
    static LookupTable parse(String parameter, String value, Path configDirectory) {
        if (value == null || value.isBlank()) {
            return EMPTY;
        }
        org.mailserver.core.lookup.LookupTable table;
        try {
            table = LookupTables.openList(MapSettings.splitList(value), configDirectory);
        } catch (org.mailserver.core.config.ConfigException e) {
            throw new org.mailserver.core.config.ConfigException(parameter + ": " + e.getMessage(), e);
        }
        return key -> {
            try {
                return table.lookup(key);
            } catch (LookupException e) {
                throw new TableFailure(parameter + " lookup of \"" + key + "\" failed: " + e.getMessage(), e);
            }
        };
    }
}
