package org.mailserver.core.address;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mailserver.core.config.MapSettings;
import org.mailserver.core.lookup.LookupException;
import org.mailserver.core.lookup.LookupTable;
import org.mailserver.core.lookup.LookupTables;

/**
 * The bridge between the configuration layer's {@link LookupTable}s and the code that consults them from
 * inside SMTP's asynchronous stages (address rewriting, access tables, smtpd_sender_login_maps), where a
 * checked exception cannot pass: {@link #lookup} turns {@link LookupException} into {@link TableFailure},
 * which the SMTP session turns into a temporary (4xx) refusal, as Postfix defers on a map lookup error.
 */
public final class AddressTables {

    /** A lookup table could not answer: a temporary failure, never "not found". */
    public static final class TableFailure extends RuntimeException {
        public TableFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private AddressTables() {
    }

    /** Opens every table in a list value (empty list: a table that never matches). */
    public static LookupTable open(List<String> specs, Path configDirectory) {
        return LookupTables.openList(specs, configDirectory);
    }

    /** Opens the tables named by a list string ({@code "hash:/a, inline:{x=y}"}). */
    public static LookupTable open(String listValue, Path configDirectory) {
        return open(MapSettings.splitList(listValue), configDirectory);
    }

    /** The table's value for the key; a table that cannot answer raises {@link TableFailure}. */
    public static Optional<String> lookup(LookupTable table, String key) {
        try {
            return table.lookup(key);
        } catch (LookupException e) {
            throw new TableFailure(table.spec() + ": " + e.getMessage(), e);
        }
    }
}
