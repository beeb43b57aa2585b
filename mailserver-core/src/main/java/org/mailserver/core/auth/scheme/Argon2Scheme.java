package org.mailserver.core.auth.scheme;

import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * {@code {ARGON2I}} / {@code {ARGON2ID}}: the PHC string libsodium writes,
 * {@code $argon2id$v=19$m=65536,t=3,p=1$SALT$HASH} (salt and hash in base64 without padding). Dovecot uses
 * libsodium's crypto_pwhash_str: 16-byte salt, 32-byte hash; we compute with Bouncy Castle's generator.
 */
final class Argon2Scheme implements PasswordScheme {
    private static final Pattern PHC = Pattern.compile(
        "\\$(argon2id|argon2i|argon2d)\\$(?:v=(\\d+)\\$)?m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    /** Refuse absurd parameters from a hostile or corrupt file rather than allocating gigabytes. */
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 1000;
    /** Bounds the memory of the checks and hashings running at once (the auth workers run several). */
    static final HashMemoryBudget MEMORY = HashMemoryBudget.forThisHeap();

    private final boolean id;

    Argon2Scheme(boolean id) {
        this.id = id;
    }

    @Override
    public List<String> names() {
        return List.of(id ? "ARGON2ID" : "ARGON2I");
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        return verifyPhc(plaintext, stored);
    }

    static boolean verifyPhc(String plaintext, String stored) {
        Matcher m = PHC.matcher(stored);
        if (!m.matches()) {
            return false;
        }
        try {
            int type = switch (m.group(1)) {
                case "argon2id" -> Argon2Parameters.ARGON2_id;
                case "argon2i" -> Argon2Parameters.ARGON2_i;
                default -> Argon2Parameters.ARGON2_d;
            };
            int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(m.group(2));
            int memory = Integer.parseInt(m.group(3));
            int iterations = Integer.parseInt(m.group(4));
            int parallelism = Integer.parseInt(m.group(5));
            if (memory > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || parallelism > 64 || parallelism < 1) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(m.group(6)); // accepts missing padding
            byte[] expected = Base64.getDecoder().decode(m.group(7));
            byte[] actual = MEMORY.use(memory,
                () -> compute(type, version, memory, iterations, parallelism, salt, plaintext, expected.length));
            return actual != null && Bytes.equal(expected, actual); // null: more memory than this heap can give
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static byte[] compute(int type, int version, int memoryKiB, int iterations, int parallelism, byte[] salt,
                                  String plaintext, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(type)
            .withVersion(version).withMemoryAsKB(memoryKiB).withIterations(iterations)
            .withParallelism(parallelism).withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(Bytes.utf8(plaintext), out);
        return out;
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        byte[] salt = Bytes.random(16);
        int type = id ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i;
        byte[] hash = MEMORY.use(costs.argon2MemoryKiB(), () -> compute(type, Argon2Parameters.ARGON2_VERSION_13,
            costs.argon2MemoryKiB(), costs.argon2Iterations(), 1, salt, plaintext, 32));
        if (hash == null) {
            throw new IllegalArgumentException("auth_argon2_memory " + costs.argon2MemoryKiB()
                + " KiB is more than a quarter of this JVM's heap");
        }
        Base64.Encoder enc = Base64.getEncoder().withoutPadding();
        return "$" + (id ? "argon2id" : "argon2i") + "$v=19$m=" + costs.argon2MemoryKiB() + ",t="
            + costs.argon2Iterations() + ",p=1$" + enc.encodeToString(salt) + "$" + enc.encodeToString(hash);
    }
}
