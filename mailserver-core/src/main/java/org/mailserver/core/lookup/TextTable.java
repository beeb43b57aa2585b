package org.mailserver.core.lookup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.LogicalLineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code texthash:}, {@code hash:} (and {@code btree:}, {@code lmdb:}): the two-column text file that
 * Postfix's postmap(1) reads, used directly, with no compiled .db step. Format (postmap(1) INPUT FILE
 * FORMAT): {@code key whitespace value}; {@code #} comment lines and blank lines ignored; a line that
 * starts with white space continues the previous one. Keys are case-insensitive: Postfix lower-cases
 * them when it builds the map and lower-cases the lookup key. A duplicate key keeps the first entry and
 * is warned about, as postmap does. Reloaded when the file changes ({@link ReloadingFile}).
 */
final class TextTable implements LookupTable {
    private static final Logger log = LoggerFactory.getLogger(TextTable.class);

    private final String spec;
    private final ReloadingFile<Map<String, String>> content;

    TextTable(String spec, Path file, Duration checkInterval) {
        this.spec = spec;
        this.content = new ReloadingFile<>(file, TextTable::parse, checkInterval);
    }

    static Map<String, String> parse(Path file) {
        Map<String, String> map = new HashMap<>();
        for (LogicalLineReader.LogicalLine line : LogicalLineReader.readAll(file)) {
            String text = line.text();
            int ws = 0;
            while (ws < text.length() && !Character.isWhitespace(text.charAt(ws))) {
                ws++;
            }
            String value = text.substring(ws).strip();
            if (value.isEmpty()) {
                throw new ConfigException(file + ":" + line.line() + ": expected format: key whitespace value");
            }
            String key = text.substring(0, ws).toLowerCase(Locale.ROOT);
            if (map.putIfAbsent(key, value) != null) {
                log.warn("warning: {}:{}: duplicate entry: \"{}\"; keeping the first", file, line.line(), key);
            }
        }
        return map;
    }

    @Override
    public Optional<String> lookup(String key) throws LookupException {
        return Optional.ofNullable(content.current().get(key.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String spec() {
        return spec;
    }
}
