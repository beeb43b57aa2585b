package org.mailserver.core.auth.scheme;

import java.util.Arrays;
import java.util.List;

/**
 * Plain and salted digests as Dovecot writes them: {@code {SHA}} (SHA1), {@code {SHA256}}, {@code {SHA512}},
 * {@code {PLAIN-MD5}}, {@code {LDAP-MD5}} = digest(password); {@code {SSHA}}, {@code {SSHA256}},
 * {@code {SSHA512}}, {@code {SMD5}} = digest(password + salt) followed by the salt. Base64 by default
 * (hex for PLAIN-MD5); {@code .hex}/{@code .b64} suffixes override, and an unsuffixed fixed-size digest is
 * read as hex when its length is twice the digest size, as Dovecot's password_decode() does.
 */
final class DigestScheme implements PasswordScheme {
    private static final int SALT_LENGTH = 4; // doveadm writes 4-byte salts; any length verifies

    private final List<String> names;
    private final String algorithm;
    private final int digestLength;
    private final boolean salted;
    private final Encoding defaultEncoding;

    DigestScheme(List<String> names, String algorithm, int digestLength, boolean salted, Encoding defaultEncoding) {
        this.names = names;
        this.algorithm = algorithm;
        this.digestLength = digestLength;
        this.salted = salted;
        this.defaultEncoding = defaultEncoding;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        byte[] raw = Bytes.decode(stored, encoding, defaultEncoding, salted ? 0 : digestLength);
        if (raw == null || raw.length < digestLength || (!salted && raw.length != digestLength)) {
            return false;
        }
        byte[] expected = Arrays.copyOf(raw, digestLength);
        byte[] salt = Arrays.copyOfRange(raw, digestLength, raw.length);
        return Bytes.equal(expected, Bytes.digest(algorithm, Bytes.utf8(plaintext), salt));
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        return generate(plaintext, costs, Encoding.DEFAULT);
    }

    @Override
    public String generate(String plaintext, HashCosts costs, Encoding encoding) {
        byte[] salt = salted ? Bytes.random(SALT_LENGTH) : new byte[0];
        byte[] digest = Bytes.digest(algorithm, Bytes.utf8(plaintext), salt);
        byte[] raw = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, raw, digest.length, salt.length);
        Encoding e = encoding == Encoding.DEFAULT ? defaultEncoding : encoding;
        return e == Encoding.HEX ? Bytes.hex(raw) : Bytes.b64(raw);
    }
}
