package org.mailserver.core.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses main.cf values by {@link ParameterDefinition.ParameterType}, with Postfix's syntax for each:
 * yes/no booleans, time values with units s, m, h, d, w (postconf(5) "time units"), byte counts.
 * Every failure is a {@link ConfigException} whose message starts with the caller's {@code where}
 * prefix ({@code "main.cf:12: message_size_limit"}) followed by the problem and the quoted value.
 */
public final class ParameterValues {
    private ParameterValues() {
    }

    public static long parseLong(String where, String value) {
        String v = value.trim();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": not a number: \"" + v + "\"");
        }
    }

    public static int parseInt(String where, String value) {
        long v = parseLong(where, value);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new ConfigException(where + ": number out of range: \"" + value.trim() + "\"");
        }
        return (int) v;
    }

    /** Postfix booleans are yes/no; true/false, on/off and 1/0 are accepted as synonyms. */
    public static boolean parseBoolean(String where, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "yes": case "true": case "on": case "1":
                return true;
            case "no": case "false": case "off": case "0":
                return false;
            default:
                throw new ConfigException(where + ": expected yes or no: \"" + value.trim() + "\"");
        }
    }

    /** Postfix time syntax: digits with an optional unit s, m, h, d, w; units may be combined ("1h30m"). */
    public static Duration parseDuration(String where, String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new ConfigException(where + ": empty time value");
        }
        long seconds = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i || i - start > 12) {
                throw new ConfigException(where + ": bad time value: \"" + value.trim() + "\"");
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
                default:
                    throw new ConfigException(where + ": bad time unit '" + unit + "' in \"" + value.trim()
                        + "\" (use s, m, h, d or w)");
            }
            seconds += n * mult;
        }
        return Duration.ofSeconds(seconds);
    }

    /** A byte count; Postfix writes plain bytes, we also accept k, m, g (binary) suffixes. */
    public static long parseSize(String where, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (v.endsWith("k")) {
            mult = 1024;
        } else if (v.endsWith("m")) {
            mult = 1024 * 1024;
        } else if (v.endsWith("g")) {
            mult = 1024L * 1024 * 1024;
        }
        String digits = mult == 1 ? v : v.substring(0, v.length() - 1).trim();
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(where + ": not a size: \"" + value.trim() + "\"");
        }
    }

    /**
     * Checks a value against its declared type, so a malformed value stops start-up rather than the
     * first connection that reads it. LOOKUP values are checked by {@link ConfigurationSettings}.
     */
    public static void check(ParameterDefinition.ParameterType type, String where, String value) {
        switch (type) {
            case INTEGER -> parseLong(where, value);
            case BOOLEAN -> parseBoolean(where, value);
            case DURATION -> parseDuration(where, value);
            case SIZE -> parseSize(where, value);
            default -> {
                // STRING, LIST and PATH accept any text; LOOKUP is checked by opening the tables.
            }
        }
    }
}
