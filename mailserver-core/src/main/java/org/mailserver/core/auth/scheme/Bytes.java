package org.mailserver.core.auth.scheme;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Small helpers shared by the schemes: digests, random salts, decoding, constant-time comparison. */
final class Bytes {
    static final SecureRandom RANDOM = new SecureRandom();

    private Bytes() {
    }

    static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Constant-time for equal lengths (MessageDigest.isEqual), as Dovecot's mem_equals_timing_safe. */
    static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    /** Decodes a binary digest written in {@code encoding}; for DEFAULT, guesses hex when the length is 2*rawLength. */
    static byte[] decode(String value, PasswordScheme.Encoding encoding, PasswordScheme.Encoding schemeDefault,
                         int rawLength) {
        PasswordScheme.Encoding e = encoding;
        if (e == PasswordScheme.Encoding.DEFAULT) {
            // Dovecot password_decode(): without a suffix, a fixed-size digest is hex when its length says so.
            e = rawLength > 0 ? (value.length() == rawLength * 2 ? PasswordScheme.Encoding.HEX
                : PasswordScheme.Encoding.BASE64) : schemeDefault;
        }
        try {
            return e == PasswordScheme.Encoding.HEX ? HexFormat.of().parseHex(value.toLowerCase(java.util.Locale.ROOT))
                : Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException bad) {
            return null;
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
