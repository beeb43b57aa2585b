package org.mailserver.core.address;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.MapSettings;

/**
 * Opens the lookup-table references of a parameter such as {@code virtual_alias_maps = hash:/etc/x/virtual}.
 * Supported: {@code hash:}, {@code texthash:}, {@code btree:}, {@code lmdb:} (all read from the source text
 * file, Postfix {@code postmap} input syntax: {@code key value}, {@code #} comments, continuation lines that
 * start with white space), {@code inline:{ key=value, ... }} and {@code static:value}. A list of tables is
 * searched in order, first match wins. A file is re-read when its modification time changes.
 */
public final class SimpleAddressTables {

    private SimpleAddressTables() {
    }

    /** Opens every table in a list value (empty list: a table that never matches). */
    public static AddressTable open(List<String> specs, Path configDirectory) {
        List<AddressTable> tables = new ArrayList<>();
        for (String spec : specs) {
            tables.add(openOne(spec, configDirectory));
        }
        if (tables.isEmpty()) {
            return AddressTable.EMPTY;
        }
        if (tables.size() == 1) {
            return tables.get(0);
        }
        return key -> {
            for (AddressTable t : tables) {
                Optional<String> v = t.lookup(key);
                if (v.isPresent()) {
                    return v;
                }
            }
            return Optional.empty();
        };
    }

    /** Opens the tables named by a list string ({@code "hash:/a, inline:{x=y}"}). */
    public static AddressTable open(String listValue, Path configDirectory) {
        return open(MapSettings.splitList(listValue), configDirectory);
    }

    static AddressTable openOne(String spec, Path configDirectory) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new ConfigException("bad lookup table \"" + spec + "\": expected type:name");
        }
        String type = spec.substring(0, colon).toLowerCase(Locale.ROOT);
        String name = spec.substring(colon + 1);
        switch (type) {
            case "static":
                String value = name.startsWith("{") && name.endsWith("}") ? name.substring(1, name.length() - 1).trim() : name;
                return key -> Optional.of(value);
            case "inline":
                return inline(spec, name);
            case "hash":
            case "texthash":
            case "btree":
            case "lmdb":
            case "cdb":
                Path path = Path.of(name);
                if (!path.isAbsolute() && configDirectory != null) {
                    path = configDirectory.resolve(path);
                }
                return new FileTable(path);
            default:
                throw new ConfigException("unsupported lookup table type \"" + type + "\" in \"" + spec + "\"");
        }
    }

    private static AddressTable inline(String spec, String body) {
        String b = body.trim();
        if (!b.startsWith("{") || !b.endsWith("}")) {
            throw new ConfigException("bad inline table \"" + spec + "\": expected inline:{ key=value, ... }");
        }
        Map<String, String> map = new HashMap<>();
        for (String entry : MapSettings.splitList(b.substring(1, b.length() - 1))) {
            String e = entry.startsWith("{") && entry.endsWith("}") ? entry.substring(1, entry.length() - 1).trim() : entry;
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("bad inline table entry \"" + entry + "\" in \"" + spec + "\"");
            }
            map.put(e.substring(0, eq).trim().toLowerCase(Locale.ROOT), e.substring(eq + 1).trim());
        }
        return key -> Optional.ofNullable(map.get(key.toLowerCase(Locale.ROOT)));
    }

    /** A postmap source file, loaded into memory and re-read when it changes. */
    static final class FileTable implements AddressTable {
        private final Path path;
        private volatile Map<String, String> entries;
        private volatile long loadedModified = Long.MIN_VALUE;

        FileTable(Path path) {
            this.path = path;
            reloadIfChanged();
        }

        @Override
        public Optional<String> lookup(String key) {
            reloadIfChanged();
            return Optional.ofNullable(entries.get(key.toLowerCase(Locale.ROOT)));
        }

        private synchronized void reloadIfChanged() {
            long modified;
            try {
                modified = Files.getLastModifiedTime(path).toMillis();
            } catch (IOException e) {
                throw new ConfigException(path + ": cannot read lookup table: " + e.getMessage(), e);
            }
            if (modified == loadedModified && entries != null) {
                return;
            }
            try {
                entries = parse(Files.readAllLines(path, StandardCharsets.UTF_8), path.toString());
                loadedModified = modified;
            } catch (IOException e) {
                throw new ConfigException(path + ": cannot read lookup table: " + e.getMessage(), e);
            }
        }

        static Map<String, String> parse(List<String> lines, String where) {
            Map<String, String> map = new HashMap<>();
            String key = null;
            StringBuilder value = new StringBuilder();
            for (String line : lines) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && key != null) {
                    value.append(' ').append(line.trim());
                    continue;
                }
                if (key != null) {
                    map.putIfAbsent(key, value.toString().trim());
                }
                String t = line.trim();
                int sp = 0;
                while (sp < t.length() && !Character.isWhitespace(t.charAt(sp)) && t.charAt(sp) != ':') {
                    sp++;
                }
                key = t.substring(0, sp).toLowerCase(Locale.ROOT);
                String rest = t.substring(sp);
                if (rest.startsWith(":")) {
                    rest = rest.substring(1); // aliases(5) syntax "name: value"
                }
                value.setLength(0);
                value.append(rest.trim());
            }
            if (key != null) {
                map.putIfAbsent(key, value.toString().trim());
            }
            return map;
        }
    }
}
