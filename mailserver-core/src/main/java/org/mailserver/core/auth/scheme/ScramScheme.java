package org.mailserver.core.auth.scheme;

import java.util.List;

/**
 * {@code {SCRAM-SHA-1}} / {@code {SCRAM-SHA-256}}: Dovecot's stored SCRAM keys. A plaintext verifies when it
 * yields the same StoredKey for the stored salt and iteration count; the SCRAM SASL mechanisms use the keys
 * directly (see {@link ScramCredential}).
 */
final class ScramScheme implements PasswordScheme {
    private final String hash;

    ScramScheme(String hash) {
        this.hash = hash;
    }

    @Override
    public List<String> names() {
        return List.of(hash.equals("SHA-1") ? "SCRAM-SHA-1" : "SCRAM-SHA-256");
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        ScramCredential c = ScramCredential.parse(hash, stored);
        if (c == null) {
            return false;
        }
        return Bytes.equal(c.storedKey(), ScramCredential.derive(hash, plaintext, c.salt(), c.iterations()).storedKey());
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        return ScramCredential.derive(hash, plaintext, Bytes.random(16), costs.scramIterations()).format();
    }
}
