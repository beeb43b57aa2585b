package org.mailserver.core.auth.scheme;

/**
 * One password scheme of Dovecot's registry ({@code {SHA512-CRYPT}}, {@code {ARGON2ID}}, ...): verifies a
 * plaintext against a stored value and generates new stored values. Implementations are stateless and
 * thread-safe; they may be slow on purpose (bcrypt, argon2), so callers run them on the hashing pool.
 * {@link PasswordSchemes} strips the {@code {SCHEME.ENC}} prefix and hands over the rest.
 */
public interface PasswordScheme {

    /** The names this scheme answers to, upper case; the first is the canonical one. */
    java.util.List<String> names();

    /**
     * True when {@code plaintext} matches {@code stored} (the value after the {@code {SCHEME}} prefix, with
     * the encoding suffix, if any, given as {@code encoding}). Malformed stored values verify as false;
     * comparisons are constant-time.
     */
    boolean verify(String plaintext, String stored, Encoding encoding);

    /** A new stored value (without the prefix) in this scheme's default encoding, with a fresh salt. */
    String generate(String plaintext, HashCosts costs);

    /** As {@link #generate(String, HashCosts)} in the given encoding; schemes without a binary form ignore it. */
    default String generate(String plaintext, HashCosts costs, Encoding encoding) {
        return generate(plaintext, costs);
    }

    /** How a binary digest is written after the prefix: Dovecot's {@code .b64} / {@code .hex} suffixes. */
    enum Encoding {
        /** No suffix given: the scheme's own default (or a guess between hex and base64 by length). */
        DEFAULT,
        /** {@code .b64}: standard base64 with padding. */
        BASE64,
        /** {@code .hex}: lower- or upper-case hexadecimal. */
        HEX
    }
}
