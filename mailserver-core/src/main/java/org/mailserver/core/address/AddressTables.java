package org.mailserver.core.address;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mailserver.core.config.MapSettings;
import org.mailserver.core.lookup.LookupException;
import org.mailserver.core.lookup.LookupTable;
import org.mailserver.core.lookup.LookupTables;

/**
 * {@link AddressTable}s over the configuration layer's {@link LookupTables} ({@code hash:}, {@code texthash:},
 * {@code regexp:}, {@code pcre:}, {@code inline:}, {@code static:}). A table that cannot answer raises
 * {@link TableFailure}, which callers turn into a temporary (4xx) refusal.
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
    public static AddressTable open(List<String> specs, Path configDirectory) {
        if (specs.isEmpty()) {
            return AddressTable.EMPTY;
        }
        return of(LookupTables.openList(specs, configDirectory));
    }

    /** Opens the tables named by a list string ({@code "hash:/a, inline:{x=y}"}). */
    public static AddressTable open(String listValue, Path configDirectory) {
        return open(MapSettings.splitList(listValue), configDirectory);
    }

    public static AddressTable of(LookupTable table) {
        return key -> {
            try {
                return table.lookup(key);
            } catch (LookupException e) {
                throw new TableFailure(table.spec() + ": " + e.getMessage(), e);
            }
        };
    }

    /** A table with fixed content (tests). */
    public static AddressTable of(java.util.Map<String, String> map) {
        return key -> Optional.ofNullable(map.get(key.toLowerCase(java.util.Locale.ROOT)));
    }
}
