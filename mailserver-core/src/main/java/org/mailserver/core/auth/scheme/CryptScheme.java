package org.mailserver.core.auth.scheme;

import java.util.List;
import org.apache.commons.codec.digest.Crypt;

/**
 * The crypt(3) family as glibc/libxcrypt write it: {@code {MD5-CRYPT}} ({@code $1$}), {@code {SHA256-CRYPT}}
 * ({@code $5$}), {@code {SHA512-CRYPT}} ({@code $6$}, optional {@code rounds=N$}), and {@code {CRYPT}}, which
 * verifies whatever crypt string it is given: the three above, bcrypt {@code $2a$/$2b$/$2y$} (Debian's
 * {@code doveadm pw -s CRYPT} writes bcrypt) and traditional DES. Verification recomputes with the stored
 * string as salt ({@link ShaCrypt} for canonical $5$/$6$ strings, commons-codec for the rest) and compares in
 * constant time. yescrypt ({@code $y$}) is not supported.
 */
final class CryptScheme implements PasswordScheme {
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Which crypt variant a name generates. */
    enum Variant {
        MD5("$1$", 8, List.of("MD5-CRYPT", "MD5")),
        SHA256("$5$", 16, List.of("SHA256-CRYPT")),
        SHA512("$6$", 16, List.of("SHA512-CRYPT")),
        /** {CRYPT}: verifies any format; generates bcrypt like Debian's doveadm. */
        ANY("", 0, List.of("CRYPT", "DES-CRYPT"));

        final String prefix;
        final int saltLength;
        final List<String> names;

        Variant(String prefix, int saltLength, List<String> names) {
            this.prefix = prefix;
            this.saltLength = saltLength;
            this.names = names;
        }
    }

    private final Variant variant;

    CryptScheme(Variant variant) {
        this.variant = variant;
    }

    @Override
    public List<String> names() {
        return variant.names;
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        return verifyCrypt(plaintext, stored);
    }

    /** Verifies any crypt(3) string: $1$, $5$, $6$, $2?$ (bcrypt), DES. False for anything malformed. */
    static boolean verifyCrypt(String plaintext, String stored) {
        if (stored.startsWith("$2")) {
            return BcryptScheme.verifyBcrypt(plaintext, stored);
        }
        if (stored.startsWith("$argon2")) {
            return Argon2Scheme.verifyPhc(plaintext, stored);
        }
        boolean known = stored.startsWith("$1$") || stored.startsWith("$5$") || stored.startsWith("$6$")
            || (stored.length() == 13 && SALT_CHARS.indexOf(stored.charAt(0)) >= 0 && SALT_CHARS.indexOf(stored.charAt(1)) >= 0);
        if (!known) {
            return false;
        }
        try {
            byte[] key = Bytes.utf8(plaintext);
            String computed = ShaCrypt.crypt(key, stored); // $5$/$6$ without commons-codec's per-round lookups
            if (computed == null) {
                computed = Crypt.crypt(key, stored);
            }
            return Bytes.equal(Bytes.utf8(computed), Bytes.utf8(stored));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        if (variant == Variant.ANY) {
            return BcryptScheme.generateBcrypt(plaintext, costs.bcryptCost());
        }
        StringBuilder salt = new StringBuilder(variant.prefix);
        if (variant != Variant.MD5 && costs.cryptRounds() != 5000) {
            salt.append("rounds=").append(costs.cryptRounds()).append('$');
        }
        for (int i = 0; i < variant.saltLength; i++) {
            salt.append(SALT_CHARS.charAt(Bytes.RANDOM.nextInt(SALT_CHARS.length())));
        }
        return Crypt.crypt(Bytes.utf8(plaintext), salt.toString());
    }
}
