package org.mailserver.core.config;

/**
 * One configuration parameter, declared once in code: its name, type, default, the Postfix or
 * Dovecot parameter it corresponds to, and one paragraph of documentation. {@code conf -d} and
 * {@code docs/configuration.md} are generated from these declarations.
 *
 * @param name         the main.cf name (Postfix's or Dovecot's name where they have the concept)
 * @param type         how the value is parsed and validated
 * @param defaultValue the default as written in main.cf syntax (may reference other parameters as {@code $name})
 * @param equivalent   the Postfix/Dovecot equivalent, e.g. {@code "postfix: myhostname"}, or {@code ""}
 * @param doc          one paragraph for the admin's manual
 */
public record ParameterDefinition(String name, ParameterType type, String defaultValue, String equivalent, String doc) {

    /** How a parameter's value is parsed. */
    public enum ParameterType {
        /** Free text. */
        STRING,
        /** Whole number. */
        INTEGER,
        /** {@code yes}/{@code no} (also true/false). */
        BOOLEAN,
        /** Postfix time value: a number with an optional unit s, m, h, d, w (default unit: seconds). */
        DURATION,
        /** A byte count; plain number of bytes (Postfix semantics), optional k/m/g suffix accepted. */
        SIZE,
        /** A list split on commas and/or white space. */
        LIST,
        /** A file system path. */
        PATH,
        /** A lookup table reference {@code type:name}, or a list of them. */
        LOOKUP
    }

    public static ParameterDefinition of(String name, ParameterType type, String defaultValue, String equivalent, String doc) {
        return new ParameterDefinition(name, type, defaultValue, equivalent, doc);
    }
}
