package org.mailserver.core.lookup;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.PostfixListDelimiterHandler;

/**
 * {@code inline:{ key=value, { key = value with spaces } }}: a small table written in main.cf itself
 * (Postfix 3.0 inline_table). Entries are separated by commas or white space; an entry in braces may
 * contain spaces around and inside its value. Keys are case-insensitive like a hash: table.
 */
final class InlineTable implements LookupTable {
    private final String spec;
    private final Map<String, String> map = new HashMap<>();

    InlineTable(String spec, String name) {
        this.spec = spec;
        String body = name.strip();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            throw new ConfigException(spec + ": expected inline:{ key=value, ... }");
        }
        for (String item : PostfixListDelimiterHandler.split(body.substring(1, body.length() - 1))) {
            String entry = item;
            if (entry.startsWith("{")) {
                if (!entry.endsWith("}")) {
                    throw new ConfigException(spec + ": unbalanced '{' in \"" + item + "\"");
                }
                entry = entry.substring(1, entry.length() - 1).strip();
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(spec + ": expected key=value: \"" + item + "\"");
            }
            map.putIfAbsent(entry.substring(0, eq).strip().toLowerCase(Locale.ROOT), entry.substring(eq + 1).strip());
        }
    }

    @Override
    public Optional<String> lookup(String key) {
        return Optional.ofNullable(map.get(key.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String spec() {
        return spec;
    }
}
