package org.mailserver.core.auth.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mailserver.core.auth.scheme.ScramCredential;

/** The client side of SCRAM (RFC 5802 section 3) for tests: computes ClientProof. */
final class ScramClient {
    private ScramClient() {
    }

    static String proof(String hash, String password, String clientFirstBare, String serverFirst, String finalWithoutProof) {
        String salt = field(serverFirst, "s=");
        int iterations = Integer.parseInt(field(serverFirst, "i="));
        ScramCredential c = ScramCredential.derive(hash, password, Base64.getDecoder().decode(salt), iterations);
        byte[] saltedClientKey = clientKey(hash, password, Base64.getDecoder().decode(salt), iterations);
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + finalWithoutProof).getBytes(UTF_8);
        byte[] signature = ScramCredential.hmac(hash, c.storedKey(), authMessage);
        byte[] proof = new byte[signature.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (saltedClientKey[i] ^ signature[i]);
        }
        return Base64.getEncoder().encodeToString(proof);
    }

    private static byte[] clientKey(String hash, String password, byte[] salt, int iterations) {
        try {
            javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance(
                hash.equals("SHA-1") ? "PBKDF2WithHmacSHA1" : "PBKDF2WithHmacSHA256");
            byte[] salted = f.generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations,
                ScramCredential.hashLength(hash) * 8)).getEncoded();
            return ScramCredential.hmac(hash, salted, "Client Key".getBytes(UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String field(String msg, String prefix) {
        for (String f : msg.split(",")) {
            if (f.startsWith(prefix)) {
                return f.substring(prefix.length());
            }
        }
        throw new IllegalArgumentException(prefix + " missing in " + msg);
    }

    static byte[] hmacMd5(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key.getBytes(UTF_8), "HmacMD5"));
            return mac.doFinal(message.getBytes(UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
