package org.mailserver.core.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mailserver.core.auth.db.AuthDrivers;
import org.mailserver.core.auth.db.PassDb;
import org.mailserver.core.auth.db.UserDb;
import org.mailserver.core.auth.guard.GuessingGuard;
import org.mailserver.core.auth.scheme.HashCosts;
import org.mailserver.core.auth.scheme.PasswordSchemes;

/** Builds an engine over a temporary passwd-file with short delays, for the auth tests. */
public final class AuthFixture {
    public static final PasswordSchemes SCHEMES = PasswordSchemes.standard();

    private AuthFixture() {
    }

    public static GuessingGuard.Config guard(long delayMs, long maxDelayMs, int ipFailures, int userFailures, long lockoutMs) {
        return new GuessingGuard.Config(Duration.ofMillis(delayMs), Duration.ofMillis(maxDelayMs), ipFailures, userFailures,
            Duration.ofSeconds(60), Duration.ofMillis(lockoutMs), 1000);
    }

    public static AuthConfig config(GuessingGuard.Config guard) {
        return new AuthConfig(List.of("PLAIN", "LOGIN", "SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5"), true, false, "%Lu",
            "CRYPT", "SSHA512", HashCosts.FAST, guard, 2, 50);
    }

    public static AuthEngine engine(Path users, AuthConfig config, String userdbSpec) {
        PassDb passDb = AuthDrivers.passDb("passwd-file:" + users, users.getParent(), SCHEMES);
        UserDb userDb = AuthDrivers.userDb(userdbSpec == null ? "passwd-file:" + users : userdbSpec, users.getParent(),
            SCHEMES, passDb);
        return new AuthEngine(config, passDb, userDb, SCHEMES);
    }

    public static Path write(Path dir, String... lines) throws IOException {
        Path f = dir.resolve("users");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    public static AuthContext ctx(String ip, boolean secured) {
        return new AuthContext("imap", new InetSocketAddress(ip, 40000), new InetSocketAddress("127.0.0.1", 143), secured);
    }
}
