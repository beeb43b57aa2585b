package org.mailserver.core.lookup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.MapSettings;
import org.mailserver.core.config.Settings;

/**
 * Opens Postfix-style lookup tables from their {@code type:name} specification:
 * <ul>
 *   <li>{@code texthash:/path}, {@code hash:/path} (also {@code btree:}, {@code lmdb:}): the plain
 *       two-column source file, read directly (no postmap step), reloaded when it changes;</li>
 *   <li>{@code regexp:/path}, {@code pcre:/path}: regexp_table(5) / pcre_table(5) rules;</li>
 *   <li>{@code static:value} and {@code inline:{ key=value, ... }};</li>
 *   <li>{@code proxy:type:name} is read as {@code type:name} (Postfix configurations use it).</li>
 * </ul>
 * A relative file name resolves against the configuration directory. Opening reads and checks the
 * file, throwing {@link ConfigException} with {@code file:line} on a problem, so a bad table stops
 * start-up or a reload instead of failing mail later.
 */
public final class LookupTables {
    /** File-based tables stat their file at most this often. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

    private LookupTables() {
    }

    public static LookupTable open(String spec, Path configDir) {
        return open(spec, configDir, DEFAULT_CHECK_INTERVAL);
    }

    public static LookupTable open(String spec, Path configDir, Duration checkInterval) {
        String s = spec.strip();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new ConfigException("bad lookup table \"" + spec + "\": expected type:name");
        }
        String type = s.substring(0, colon);
        String name = s.substring(colon + 1);
        switch (type) {
            case "proxy":
                // Postfix's proxymap indirection has no meaning inside one JVM; read the table itself.
                return open(name, configDir, checkInterval);
            case "texthash", "hash", "btree", "lmdb":
                return new TextTable(s, file(s, name, configDir), checkInterval);
            case "regexp":
                return new RegexpTable(s, file(s, name, configDir), false, checkInterval);
            case "pcre":
                return new RegexpTable(s, file(s, name, configDir), true, checkInterval);
            case "static":
                return new StaticTable(s, name);
            case "inline":
                return new InlineTable(s, name);
            default:
                throw new ConfigException("unsupported lookup table type \"" + type + "\" in \"" + spec
                    + "\" (use texthash, hash, regexp, pcre, static or inline)");
        }
    }

    /** Several tables searched in order; an empty list gives a table that never matches. */
    public static LookupTable openList(List<String> specs, Path configDir) {
        return openList(specs, configDir, DEFAULT_CHECK_INTERVAL);
    }

    public static LookupTable openList(List<String> specs, Path configDir, Duration checkInterval) {
        List<LookupTable> tables = new ArrayList<>();
        for (String spec : specs) {
            tables.add(open(spec, configDir, checkInterval));
        }
        return tables.size() == 1 ? tables.get(0) : new LookupList(tables);
    }

    /** The tables a LOOKUP parameter names ({@code virtual_alias_maps}...), in order. */
    public static LookupTable fromSettings(Settings settings, String parameter) {
        try {
            return openList(settings.getList(parameter), settings.configDirectory());
        } catch (ConfigException e) {
            throw new ConfigException(parameter + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tables a parameter value names, for the queue manager's routing and the outbound client
     * ({@code transport_maps}, {@code smtp_tls_policy_maps}...): a failed lookup names the parameter and
     * the key ({@code transport_maps lookup of "k" failed: ...}), since that text becomes the deferral
     * reason the admin reads in the queue. A blank value gives a table that never matches.
     */
    public static LookupTable forParameter(String parameter, String value, Path configDir) {
        if (value == null || value.isBlank()) {
            return new LookupList(List.of());
        }
        LookupTable table;
        try {
            table = openList(MapSettings.splitList(value), configDir);
        } catch (ConfigException e) {
            throw new ConfigException(parameter + ": " + e.getMessage(), e);
        }
        return new LookupTable() {
            @Override
            public Optional<String> lookup(String key) throws LookupException {
                try {
                    return table.lookup(key);
                } catch (LookupException e) {
                    throw new LookupException(parameter + " lookup of \"" + key + "\" failed: " + e.getMessage(), e);
                }
            }

            @Override
            public String spec() {
                return table.spec();
            }
        };
    }

    private static Path file(String spec, String name, Path configDir) {
        if (name.isBlank()) {
            throw new ConfigException("bad lookup table \"" + spec + "\": missing file name");
        }
        Path p = Path.of(name.strip());
        return p.isAbsolute() || configDir == null ? p : configDir.resolve(p);
    }
}
