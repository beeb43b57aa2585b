package org.mailserver.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link Settings} over a plain map of raw main.cf values, with the declared defaults underneath and
 * Postfix expansion: what {@link Settings#of} returns, for tests and admin tools. Nothing is checked
 * at construction; a malformed value fails when read. Same engine as {@link MainCf}.
 */
public class MapSettings extends ConfigurationSettings {

    public MapSettings(Map<String, String> explicit, Path configDirectory) {
        super(configurationOf(explicit), Map.of(), configDirectory);
    }

    /** Postfix time syntax; see {@link ParameterValues#parseDuration}. */
    public static Duration parseDuration(String name, String v) {
        return ParameterValues.parseDuration(name, v);
    }

    /** Splits a Postfix list on commas and/or white space, keeping {@code {...}} groups whole. */
    public static List<String> splitList(String v) {
        return PostfixListDelimiterHandler.split(v);
    }
}
