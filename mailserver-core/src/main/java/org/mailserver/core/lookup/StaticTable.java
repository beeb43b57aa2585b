package org.mailserver.core.lookup;

import java.util.Optional;

/** {@code static:value} (or {@code static:{ value with spaces }}): every key maps to the same value. */
final class StaticTable implements LookupTable {
    private final String spec;
    private final String value;

    StaticTable(String spec, String name) {
        this.spec = spec;
        String v = name.strip();
        if (v.startsWith("{") && v.endsWith("}")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        this.value = v;
    }

    @Override
    public Optional<String> lookup(String key) {
        return Optional.of(value);
    }

    @Override
    public String spec() {
        return spec;
    }
}
