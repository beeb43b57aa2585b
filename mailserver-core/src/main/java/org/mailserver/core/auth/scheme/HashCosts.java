package org.mailserver.core.auth.scheme;

/**
 * Cost parameters used when this server generates a hash (never for verification: stored hashes carry
 * their own costs). Defaults match what {@code doveadm pw} writes, except bcrypt, where we use a cost that
 * is reasonable on today's hardware.
 *
 * @param bcryptCost       log2 rounds for BLF-CRYPT ({@code $2y$NN$})
 * @param argon2MemoryKiB  argon2 memory in KiB ({@code m=})
 * @param argon2Iterations argon2 passes ({@code t=})
 * @param cryptRounds      rounds for SHA256-CRYPT / SHA512-CRYPT ({@code rounds=}, 5000 is glibc's default)
 * @param pbkdf2Rounds     rounds for PBKDF2
 * @param scramIterations  iterations for SCRAM-SHA-1 / SCRAM-SHA-256
 */
public record HashCosts(int bcryptCost, int argon2MemoryKiB, int argon2Iterations, int cryptRounds,
                        int pbkdf2Rounds, int scramIterations) {

    public static final HashCosts DEFAULT = new HashCosts(10, 65536, 3, 5000, 5000, 4096);

    /** Cheap costs for tests. */
    public static final HashCosts FAST = new HashCosts(4, 1024, 1, 1000, 1000, 4096);
}
