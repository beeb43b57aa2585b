package org.mailserver.smtp.codec;

import java.util.Locale;
import org.mailserver.core.config.ConfigException;

/**
 * How the decoder treats a line that ends in a bare LF or contains a bare CR (the raw material of
 * SMTP smuggling). Set by {@code smtpd_forbid_bare_newline}. In both modes DATA ends only at
 * {@code <CRLF>.<CRLF>}.
 */
public enum NewlinePolicy {
    /** Refuse the command or message and disconnect (Postfix {@code reject}); our default. */
    REJECT,
    /** Treat a bare LF as CRLF (Postfix {@code normalize}, and {@code yes} as in Postfix 3.9). */
    NORMALIZE;

    public static NewlinePolicy parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "reject":
                return REJECT;
            case "normalize":
            case "yes":
                return NORMALIZE;
            default:
                // "no" (accept bare newlines as Postfix < 3.9 did) re-opens SMTP smuggling: not offered.
                throw new ConfigException("smtpd_forbid_bare_newline: expected reject or normalize: \"" + value + "\"");
        }
    }
}
