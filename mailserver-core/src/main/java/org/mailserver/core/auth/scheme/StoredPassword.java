package org.mailserver.core.auth.scheme;

import java.util.Locale;

/**
 * A password as a passdb stores it, split into scheme, encoding suffix and value:
 * {@code {SSHA512.b64}VALUE} becomes (SSHA512, BASE64, VALUE). Without a {@code {...}} prefix the
 * passdb's default scheme applies (Dovecot's default_pass_scheme).
 *
 * @param scheme   upper-case scheme name, e.g. {@code SHA512-CRYPT}
 * @param explicit true when the value carried a {@code {SCHEME}} prefix
 */
public record StoredPassword(String scheme, PasswordScheme.Encoding encoding, String value, boolean explicit) {

    public static StoredPassword parse(String stored, String defaultScheme) {
        if (stored.startsWith("{")) {
            int end = stored.indexOf('}');
            if (end > 1) {
                return withSuffix(stored.substring(1, end), stored.substring(end + 1), true);
            }
        }
        return withSuffix(defaultScheme, stored, false);
    }

    /** Parses a scheme name that may carry a {@code .b64}/{@code .hex} suffix ({@code SHA256.HEX}). */
    public static StoredPassword withSuffix(String schemeSpec, String value, boolean explicit) {
        String scheme = schemeSpec.toUpperCase(Locale.ROOT);
        PasswordScheme.Encoding encoding = PasswordScheme.Encoding.DEFAULT;
        if (scheme.endsWith(".B64") || scheme.endsWith(".BASE64")) {
            encoding = PasswordScheme.Encoding.BASE64;
            scheme = scheme.substring(0, scheme.lastIndexOf('.'));
        } else if (scheme.endsWith(".HEX")) {
            encoding = PasswordScheme.Encoding.HEX;
            scheme = scheme.substring(0, scheme.lastIndexOf('.'));
        }
        return new StoredPassword(scheme, encoding, value, explicit);
    }
}
