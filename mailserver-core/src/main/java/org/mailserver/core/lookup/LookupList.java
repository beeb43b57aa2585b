package org.mailserver.core.lookup;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Several tables searched in order ({@code virtual_alias_maps = hash:/a, regexp:/b}): the first that
 * has the key answers. A table that fails stops the search with {@link LookupException}, as in Postfix,
 * rather than letting a later table give an answer the failed one might have overridden.
 */
final class LookupList implements LookupTable {
    private final List<LookupTable> tables;

    LookupList(List<LookupTable> tables) {
        this.tables = List.copyOf(tables);
    }

    @Override
    public boolean neverMatches() {
        return tables.stream().allMatch(LookupTable::neverMatches);
    }

    @Override
    public Optional<String> lookup(String key) throws LookupException {
        for (LookupTable t : tables) {
            Optional<String> v = t.lookup(key);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    @Override
    public String spec() {
        return tables.stream().map(LookupTable::spec).collect(Collectors.joining(", "));
    }
}
