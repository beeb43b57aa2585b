package org.mailserver.core.auth.scheme;

import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * {@code {BLF-CRYPT}}: OpenBSD bcrypt ({@code $2y$NN$} + 22 salt chars + 31 hash chars) as Dovecot and
 * libxcrypt write it; {@code $2a$} and {@code $2b$} verify too. Bouncy Castle's OpenBSDBCrypt does the work.
 */
final class BcryptScheme implements PasswordScheme {
    @Override
    public List<String> names() {
        return List.of("BLF-CRYPT");
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        return verifyBcrypt(plaintext, stored);
    }

    static boolean verifyBcrypt(String plaintext, String stored) {
        try {
            // bcrypt only uses the first 72 bytes (OpenBSD, libxcrypt); Bouncy Castle refuses longer ones.
            return OpenBSDBCrypt.checkPassword(stored, truncate(plaintext));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    static String generateBcrypt(String plaintext, int cost) {
        return OpenBSDBCrypt.generate("2y", truncate(plaintext), Bytes.random(16), cost);
    }

    private static byte[] truncate(String plaintext) {
        byte[] b = Bytes.utf8(plaintext);
        return b.length > 72 ? java.util.Arrays.copyOf(b, 72) : b;
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        return generateBcrypt(plaintext, costs.bcryptCost());
    }
}
