package org.mailserver.core.delivery;

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
 * A minimal key/value lookup for the routing parameters ({@code transport_maps},
 * {@code smtp_sasl_password_maps}, {@code smtp_tls_policy_maps}, {@code sender_dependent_relayhost_maps})
 * until the shared {@code org.mailserver.core.lookup} layer lands: {@code inline:{ key=value, ... }} and
 * {@code texthash:}/{@code hash:}/{@code lmdb:} files read as their Postfix source text ("key value" lines,
 * # comments). Keys compare case-insensitively. Several tables in one value are tried in order.
 * TODO(lookup): replace with the config helper's lookup tables when they are in main.
 */
public interface LookupTable {

    Optional<String> get(String key);

    LookupTable EMPTY = key -> Optional.empty();

    /** Parses a parameter value: a list of {@code type:name} tables, consulted in order. */
    static LookupTable parse(String parameter, String value, Path configDirectory) {
        List<LookupTable> tables = new ArrayList<>();
        for (String spec : MapSettings.splitList(value)) {
            tables.add(one(parameter, spec, configDirectory));
        }
        if (tables.isEmpty()) {
            return EMPTY;
        }
        return key -> {
            for (LookupTable t : tables) {
                Optional<String> v = t.get(key);
                if (v.isPresent()) {
                    return v;
                }
            }
            return Optional.empty();
        };
    }

    private static LookupTable one(String parameter, String spec, Path configDirectory) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new ConfigException(parameter + ": not a lookup table (type:name): " + spec);
        }
        String type = spec.substring(0, colon);
        String name = spec.substring(colon + 1);
        Map<String, String> map = new HashMap<>();
        switch (type) {
            case "inline" -> {
                String body = name.trim();
                if (!body.startsWith("{") || !body.endsWith("}")) {
                    throw new ConfigException(parameter + ": inline table must be written {key=value, ...}");
                }
                for (String entry : body.substring(1, body.length() - 1).split(",")) {
                    String e = entry.trim();
                    if (e.startsWith("{") && e.endsWith("}")) {
                        e = e.substring(1, e.length() - 1).trim();
                    }
                    int eq = e.indexOf('=');
                    if (eq > 0) {
                        map.put(e.substring(0, eq).trim().toLowerCase(Locale.ROOT), e.substring(eq + 1).trim());
                    }
                }
            }
            case "texthash", "hash", "lmdb", "btree" -> {
                Path file = Path.of(name);
                if (!file.isAbsolute() && configDirectory != null) {
                    file = configDirectory.resolve(file);
                }
                try {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        String l = line.strip();
                        if (l.isEmpty() || l.startsWith("#")) {
                            continue;
                        }
                        String[] kv = l.split("\\s+", 2);
                        map.put(kv[0].toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1].trim() : "");
                    }
                } catch (IOException e) {
                    throw new ConfigException(parameter + ": cannot read " + file + ": " + e.getMessage());
                }
            }
            default -> throw new ConfigException(parameter + ": unsupported lookup table type: " + type);
        }
        return key -> Optional.ofNullable(map.get(key.toLowerCase(Locale.ROOT)));
    }
}
