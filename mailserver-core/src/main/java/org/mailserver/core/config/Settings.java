package org.mailserver.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration seen by one component: main.cf values over the declared defaults,
 * with a listener's master.cf {@code -o} overrides on top. Values are already {@code $name}-expanded.
 * Getters throw {@link ConfigException} naming the parameter (and file and line when known) for a
 * malformed value. Immutable: a reload produces a new instance.
 */
public interface Settings {

    /** The raw (expanded) value, or {@code null} when neither set nor declared. */
    String get(String name);

    default String getString(String name) {
        String v = get(name);
        return v == null ? "" : v;
    }

    int getInt(String name);

    long getLong(String name);

    boolean getBoolean(String name);

    /** A Postfix time value ({@code 300s}, {@code 5m}, {@code 1h}, {@code 5d}, {@code 1w}; bare number = seconds). */
    Duration getDuration(String name);

    /** A byte count ({@code 10240000}; k, m, g suffixes accepted). */
    long getSize(String name);

    /** A list value split on commas and/or white space; empty list for an empty value. */
    List<String> getList(String name);

    /** A path; relative paths resolve against the configuration directory. */
    Path getPath(String name);

    /** True when the value was set explicitly (main.cf or -o), not taken from the default. */
    boolean isExplicit(String name);

    /** A view with the given overrides on top (master.cf {@code -o name=value}). */
    Settings withOverrides(Map<String, String> overrides);

    /** The configuration directory the files were read from (relative paths resolve here). */
    Path configDirectory();

    /** Settings from a map of raw main.cf values over the declared defaults (tests, admin tools). */
    static Settings of(Map<String, String> values, Path configDirectory) {
        return new MapSettings(values, configDirectory);
    }

    static Settings of(Map<String, String> values) {
        return new MapSettings(values, Path.of("."));
    }
}
