package org.mailserver.core.auth.scheme;

import java.util.List;

/** {@code {PLAIN}} (alias CLEAR, CLEARTEXT): the password itself. Needed for CRAM-MD5 and SCRAM from any salt. */
final class PlainScheme implements PasswordScheme {
    @Override
    public List<String> names() {
        return List.of("PLAIN", "CLEAR", "CLEARTEXT");
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        byte[] want = stored.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (encoding == Encoding.BASE64 || encoding == Encoding.HEX) {
            want = Bytes.decode(stored, encoding, encoding, 0);
        }
        return Bytes.equal(Bytes.utf8(plaintext), want);
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        return plaintext;
    }
}
