package org.mailserver.core.auth;

import java.util.List;
import java.util.Locale;
import org.mailserver.core.auth.guard.GuessingGuard;
import org.mailserver.core.auth.scheme.HashCosts;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

/**
 * The auth parameters of {@link AuthParameters}, parsed and validated once (a bad value fails start-up or
 * reload with the parameter's name). Tests build one directly to use millisecond delays.
 */
public record AuthConfig(List<String> mechanisms, boolean disablePlaintextAuth, boolean allowPlaintextLoopback,
                         String usernameFormat, String defaultPassScheme, String generateScheme, HashCosts costs,
                         GuessingGuard.Config guard, int workerThreads, int workerQueue) {

    public static final List<String> KNOWN_MECHANISMS = List.of("PLAIN", "LOGIN", "SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5");

    public static AuthConfig from(Settings s) {
        List<String> mechs = s.getList("auth_mechanisms").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        for (String m : mechs) {
            if (!KNOWN_MECHANISMS.contains(m)) {
                throw new ConfigException("auth_mechanisms: unknown mechanism \"" + m + "\" (supported: "
                    + String.join(" ", KNOWN_MECHANISMS).toLowerCase(Locale.ROOT) + ")");
            }
        }
        PasswordSchemes schemes = PasswordSchemes.standard();
        for (String p : List.of("default_pass_scheme", "auth_generate_scheme")) {
            if (!schemes.knows(s.getString(p))) {
                throw new ConfigException(p + ": unknown password scheme \"" + s.getString(p) + "\"");
            }
        }
        HashCosts costs = new HashCosts(range(s, "auth_bcrypt_cost", 4, 31), range(s, "auth_argon2_memory", 8, 4 << 20),
            range(s, "auth_argon2_iterations", 1, 1000), range(s, "auth_crypt_rounds", 1000, 999_999_999),
            range(s, "auth_pbkdf2_rounds", 1, 10_000_000), range(s, "auth_scram_iterations", 1, 10_000_000));
        GuessingGuard.Config guard = new GuessingGuard.Config(s.getDuration("auth_failure_delay"),
            s.getDuration("auth_failure_delay_max"), range(s, "auth_lockout_ip_failures", 0, 1_000_000),
            range(s, "auth_lockout_user_failures", 0, 1_000_000), s.getDuration("auth_lockout_window"),
            s.getDuration("auth_lockout_duration"), range(s, "auth_guard_max_entries", 100, 100_000_000));
        String format = s.getString("auth_username_format");
        try {
            org.mailserver.core.auth.db.UserVariables.expand(format, "check@example.test");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth_username_format: " + e.getMessage());
        }
        int threads = range(s, "auth_worker_threads", 0, 1024);
        return new AuthConfig(mechs, s.getBoolean("disable_plaintext_auth"), s.getBoolean("auth_allow_plaintext_loopback"),
            format, s.getString("default_pass_scheme").toUpperCase(Locale.ROOT),
            s.getString("auth_generate_scheme").toUpperCase(Locale.ROOT), costs, guard,
            threads == 0 ? 4 * Runtime.getRuntime().availableProcessors() : threads, range(s, "auth_worker_queue", 1, 1_000_000));
    }

    /** The same configuration without failure delays or lock-outs: for the admin tools (auth test). */
    public AuthConfig withoutGuessingProtection() {
        GuessingGuard.Config none = new GuessingGuard.Config(java.time.Duration.ZERO, java.time.Duration.ZERO, 0, 0,
            guard.window(), guard.lockout(), 100);
        return new AuthConfig(mechanisms, disablePlaintextAuth, allowPlaintextLoopback, usernameFormat, defaultPassScheme,
            generateScheme, costs, none, 1, 10);
    }

    private static int range(Settings s, String name, int min, int max) {
        int v = s.getInt(name);
        if (v < min || v > max) {
            throw new ConfigException(name + ": " + v + " is out of range " + min + ".." + max);
        }
        return v;
    }
}
