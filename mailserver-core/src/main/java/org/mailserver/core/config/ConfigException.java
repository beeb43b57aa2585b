package org.mailserver.core.config;

/**
 * A configuration problem, with a message that names the file, the line and the parameter
 * where they are known, e.g. {@code /etc/mailserver/main.cf:12: message_size_limit: not a number: "10x"}.
 */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
