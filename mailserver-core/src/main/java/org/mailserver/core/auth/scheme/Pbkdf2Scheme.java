package org.mailserver.core.auth.scheme;

import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code {PBKDF2}} in Dovecot's form {@code $1$SALT$ROUNDS$HEXKEY}: PBKDF2-HMAC-SHA1 with the salt string's
 * bytes as salt and a 20-byte key (dovecot password-scheme-pbkdf2.c). Computed by hand so the salt can be
 * arbitrary bytes and the password any UTF-8 (the JDK's PBEKeySpec takes chars).
 */
final class Pbkdf2Scheme implements PasswordScheme {
    private static final int KEY_LENGTH = 20;
    private static final int MAX_ROUNDS = 10_000_000;
    private static final String SALT_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Override
    public List<String> names() {
        return List.of("PBKDF2");
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        String[] parts = stored.split("\\$", -1);
        // "", "1", salt, rounds, key
        if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals("1")) {
            return false;
        }
        int rounds;
        try {
            rounds = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            return false;
        }
        byte[] expected = Bytes.decode(parts[4], Encoding.DEFAULT, Encoding.HEX, KEY_LENGTH);
        return Bytes.equal(expected, pbkdf2("HmacSHA1", Bytes.utf8(plaintext), Bytes.utf8(parts[2]), rounds, KEY_LENGTH));
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        StringBuilder salt = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            salt.append(SALT_CHARS.charAt(Bytes.RANDOM.nextInt(SALT_CHARS.length())));
        }
        byte[] key = pbkdf2("HmacSHA1", Bytes.utf8(plaintext), Bytes.utf8(salt.toString()), costs.pbkdf2Rounds(), KEY_LENGTH);
        return "$1$" + salt + "$" + costs.pbkdf2Rounds() + "$" + Bytes.hex(key);
    }

    /** RFC 8018 section 5.2 PBKDF2 with the given HMAC; also SCRAM's Hi() (RFC 5802 section 2.2). */
    static byte[] pbkdf2(String hmac, byte[] password, byte[] salt, int rounds, int length) {
        try {
            Mac mac = Mac.getInstance(hmac);
            // SecretKeySpec refuses an empty key; HMAC zero-pads keys to the block size, so one zero byte is the same.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, hmac));
            int h = mac.getMacLength();
            byte[] out = new byte[length];
            for (int block = 1, offset = 0; offset < length; block++, offset += h) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                byte[] u = mac.doFinal();
                byte[] t = u.clone();
                for (int i = 1; i < rounds; i++) {
                    u = mac.doFinal(u);
                    for (int j = 0; j < t.length; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, offset, Math.min(h, length - offset));
            }
            return out;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " missing from the JDK", e);
        }
    }
}
