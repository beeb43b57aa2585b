package org.mailserver.core.auth.scheme;

import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a SCRAM server needs (RFC 5802 section 3): iteration count, salt, StoredKey and ServerKey. Parsed from
 * Dovecot's {@code {SCRAM-SHA-256}ITER,SALT,STOREDKEY,SERVERKEY} (base64 fields) or derived from a plaintext.
 *
 * @param hash "SHA-1" or "SHA-256"
 */
public record ScramCredential(String hash, int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    /** Parses Dovecot's stored form (without the {SCHEME} prefix); null when malformed. */
    public static ScramCredential parse(String hash, String stored) {
        String[] f = stored.split(",", -1);
        if (f.length != 4) {
            return null;
        }
        try {
            int iterations = Integer.parseInt(f[0]);
            if (iterations < 1 || iterations > 10_000_000) {
                return null;
            }
            Base64.Decoder d = Base64.getDecoder();
            ScramCredential c = new ScramCredential(hash, iterations, d.decode(f[1]), d.decode(f[2]), d.decode(f[3]));
            int len = hashLength(hash);
            return c.storedKey.length == len && c.serverKey.length == len ? c : null;
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** RFC 5802 section 3: SaltedPassword, ClientKey, StoredKey, ServerKey from a plaintext. */
    public static ScramCredential derive(String hash, String plaintext, byte[] salt, int iterations) {
        byte[] salted = Pbkdf2Scheme.pbkdf2(hmacName(hash), Bytes.utf8(plaintext), salt, iterations, hashLength(hash));
        byte[] clientKey = hmac(hash, salted, Bytes.utf8("Client Key"));
        byte[] storedKey = Bytes.digest(hash, clientKey);
        byte[] serverKey = hmac(hash, salted, Bytes.utf8("Server Key"));
        return new ScramCredential(hash, iterations, salt, storedKey, serverKey);
    }

    public String format() {
        Base64.Encoder e = Base64.getEncoder();
        return iterations + "," + e.encodeToString(salt) + "," + e.encodeToString(storedKey) + "," + e.encodeToString(serverKey);
    }

    public static int hashLength(String hash) {
        return hash.equals("SHA-1") ? 20 : 32;
    }

    public static String hmacName(String hash) {
        return hash.equals("SHA-1") ? "HmacSHA1" : "HmacSHA256";
    }

    public static byte[] hmac(String hash, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmacName(hash));
            mac.init(new SecretKeySpec(key, hmacName(hash)));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] digest(String hash, byte[] data) {
        return Bytes.digest(hash, data);
    }
}
