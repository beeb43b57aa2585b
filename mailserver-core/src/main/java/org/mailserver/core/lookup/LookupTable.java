package org.mailserver.core.lookup;

import java.util.Optional;

/**
 * One Postfix-style lookup table ({@code type:name}, see {@link LookupTables}) or an ordered list of
 * them: maps a key to a value. Every map parameter (virtual_alias_maps, alias_maps, ...) goes through
 * this interface. Implementations are thread-safe; file-based ones pick up changes to their file.
 *
 * <p>Address rewriting callers try the keys Postfix tries ({@code user@domain}, then {@code user},
 * then {@code @domain} for virtual(5)); the table itself only maps one key.
 */
public interface LookupTable {

    /**
     * The value for {@code key}, or empty when the table has no entry.
     *
     * @throws LookupException when the table cannot answer (treat as a temporary failure)
     */
    Optional<String> lookup(String key) throws LookupException;

    /** The table's specification as configured, e.g. {@code hash:/etc/mailserver/virtual}. */
    String spec();

    /**
     * True for a table that can never match (an empty list of tables): its lookups need no I/O, so a
     * caller on an event loop may skip the hop to a blocking executor.
     */
    default boolean neverMatches() {
        return false;
    }
}
