package org.mailserver.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link Settings} over a plain map of raw values, with the declared defaults underneath and
 * Postfix {@code $name} / {@code ${name}} expansion. The main.cf loader produces the map; tests
 * build one directly with {@link Settings#of}.
 */
public class MapSettings implements Settings {
    private final Map<String, String> explicit;
    private final Path configDirectory;
    private final Map<String, String> expanded = new java.util.concurrent.ConcurrentHashMap<>();

    public MapSettings(Map<String, String> explicit, Path configDirectory) {
        this.explicit = Map.copyOf(explicit);
        this.configDirectory = configDirectory;
    }

    protected String raw(String name) {
        String v = explicit.get(name);
        if (v != null) {
            return v;
        }
        ParameterDefinition def = ParameterRegistry.find(name);
        return def == null ? null : def.defaultValue();
    }

    @Override
    public String get(String name) {
        String cached = expanded.get(name);
        if (cached != null) {
            return cached;
        }
        String raw = raw(name);
        if (raw == null) {
            return null;
        }
        String value = expand(raw, new HashSet<>(Set.of(name)), name);
        expanded.put(name, value);
        return value;
    }

    private String expand(String value, Set<String> seen, String owner) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$' || i + 1 >= value.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = value.charAt(i + 1);
            String ref;
            int end;
            if (n == '$') {
                out.append('$');
                i += 2;
                continue;
            } else if (n == '{' || n == '(') {
                char close = n == '{' ? '}' : ')';
                end = value.indexOf(close, i + 2);
                if (end < 0) {
                    throw new ConfigException(owner + ": unterminated " + n + " in \"" + value + "\"");
                }
                ref = value.substring(i + 2, end);
                end++;
            } else if (Character.isLetterOrDigit(n) || n == '_') {
                end = i + 1;
                while (end < value.length() && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
                    end++;
                }
                ref = value.substring(i + 1, end);
            } else {
                out.append(c);
                i++;
                continue;
            }
            if (!seen.add(ref)) {
                throw new ConfigException(owner + ": recursive expansion of $" + ref);
            }
            String refRaw = raw(ref);
            out.append(refRaw == null ? "" : expand(refRaw, seen, owner));
            seen.remove(ref);
            i = end;
        }
        return out.toString();
    }

    private String required(String name) {
        String v = get(name);
        if (v == null) {
            throw new ConfigException(name + ": unknown parameter");
        }
        return v.trim();
    }

    @Override
    public int getInt(String name) {
        long v = getLong(name);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new ConfigException(name + ": number out of range: \"" + v + "\"");
        }
        return (int) v;
    }

    @Override
    public long getLong(String name) {
        String v = required(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + ": not a number: \"" + v + "\"");
        }
    }

    @Override
    public boolean getBoolean(String name) {
        String v = required(name).toLowerCase(Locale.ROOT);
        switch (v) {
            case "yes": case "true": case "on": case "1":
                return true;
            case "no": case "false": case "off": case "0":
                return false;
            default:
                throw new ConfigException(name + ": expected yes or no: \"" + v + "\"");
        }
    }

    @Override
    public Duration getDuration(String name) {
        String v = required(name);
        return parseDuration(name, v);
    }

    /** Postfix time syntax: digits with an optional unit s, m, h, d, w; several may be combined ("1h30m"). */
    public static Duration parseDuration(String name, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new ConfigException(name + ": empty time value");
        }
        long seconds = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new ConfigException(name + ": bad time value: \"" + v + "\"");
            }
            long n = Long.parseLong(s.substring(start, i));
            char unit = i < s.length() ? s.charAt(i++) : 's';
            long mult;
            switch (unit) {
                case 's': mult = 1; break;
                case 'm': mult = 60; break;
                case 'h': mult = 3600; break;
                case 'd': mult = 86400; break;
                case 'w': mult = 604800; break;
                default: throw new ConfigException(name + ": bad time unit '" + unit + "' in \"" + v + "\" (use s, m, h, d or w)");
            }
            seconds += n * mult;
        }
        return Duration.ofSeconds(seconds);
    }

    @Override
    public long getSize(String name) {
        String v = required(name).toLowerCase(Locale.ROOT);
        long mult = 1;
        if (v.endsWith("k")) {
            mult = 1024;
        } else if (v.endsWith("m")) {
            mult = 1024 * 1024;
        } else if (v.endsWith("g")) {
            mult = 1024L * 1024 * 1024;
        }
        String digits = mult == 1 ? v : v.substring(0, v.length() - 1);
        try {
            return Long.parseLong(digits.trim()) * mult;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + ": not a size: \"" + v + "\"");
        }
    }

    @Override
    public List<String> getList(String name) {
        String v = get(name);
        return splitList(v);
    }

    /** Splits a Postfix list on commas and/or white space, keeping {@code {...}} groups (inline: tables) whole. */
    public static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
            if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    @Override
    public Path getPath(String name) {
        String v = required(name);
        Path p = Path.of(v);
        return p.isAbsolute() || configDirectory == null ? p : configDirectory.resolve(p);
    }

    @Override
    public boolean isExplicit(String name) {
        return explicit.containsKey(name);
    }

    @Override
    public Settings withOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(explicit);
        merged.putAll(overrides);
        return new MapSettings(merged, configDirectory);
    }

    @Override
    public Path configDirectory() {
        return configDirectory;
    }

    /** The explicitly set raw values. */
    public Map<String, String> explicitValues() {
        return explicit;
    }
}
