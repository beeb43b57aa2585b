package org.mailserver.core.auth.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.mailserver.core.auth.AuthConfig;
import org.mailserver.core.auth.scheme.HashCosts;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import org.mailserver.core.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mailserver pw}: generates or tests a password hash, like {@code doveadm pw}. Default scheme
 * {@code auth_generate_scheme} (ARGON2ID), costs from main.cf when there is one; {@code -r} overrides the
 * scheme's cost (bcrypt cost, crypt/PBKDF2 rounds, argon2 passes, SCRAM iterations).
 */
@Command(name = "pw", mixinStandardHelpOptions = true, description = "Generate or test a password hash (like doveadm pw).")
public final class PwCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-s", paramLabel = "SCHEME", description = "Scheme, e.g. ARGON2ID, BLF-CRYPT, SHA512-CRYPT, SSHA512.b64")
    String scheme;

    @Option(names = "-p", paramLabel = "PASSWORD", description = "The password (else prompted, or read from stdin)")
    String password;

    @Option(names = "-r", paramLabel = "ROUNDS", description = "Cost: bcrypt cost, crypt/PBKDF2 rounds, argon2 passes")
    Integer rounds;

    @Option(names = "-t", paramLabel = "HASH", description = "Test HASH against the password instead of generating")
    String test;

    @Option(names = "-l", description = "List known schemes")
    boolean list;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PasswordSchemes schemes = PasswordSchemes.standard();
        if (list) {
            out.println(String.join(" ", schemes.names()));
            out.flush();
            return CliSupport.EX_OK;
        }
        Settings settings = CliSupport.settingsOrDefaults(spec);
        AuthConfig config = AuthConfig.from(settings);
        String pw = password != null ? password : CliSupport.readPassword(spec, test != null ? "Enter password to verify: "
            : "Enter new password: ", test == null);
        if (test != null) {
            PasswordSchemes.Verdict v = schemes.verify(pw, test, config.defaultPassScheme());
            if (v == PasswordSchemes.Verdict.MATCH) {
                out.println(test + " (verified)");
                out.flush();
                return CliSupport.EX_OK;
            }
            err.println(v == PasswordSchemes.Verdict.UNKNOWN_SCHEME ? "Fatal: unknown scheme" : "Fatal: password mismatch");
            err.flush();
            return CliSupport.EX_NOPERM;
        }
        String s = scheme != null ? scheme : config.generateScheme();
        if (!schemes.knows(s)) {
            err.println("Fatal: Unknown scheme: " + s);
            err.flush();
            return CliSupport.EX_USAGE;
        }
        try {
            out.println(schemes.generate(s, pw, costs(config.costs(), s)));
        } catch (IllegalArgumentException badCost) {
            err.println("Fatal: " + badCost.getMessage());
            err.flush();
            return CliSupport.EX_USAGE;
        }
        out.flush();
        return CliSupport.EX_OK;
    }

    private HashCosts costs(HashCosts c, String s) {
        if (rounds == null) {
            return c;
        }
        int r = rounds;
        String u = s.toUpperCase(java.util.Locale.ROOT);
        if (u.startsWith("BLF-CRYPT") || u.equals("CRYPT")) {
            return new HashCosts(r, c.argon2MemoryKiB(), c.argon2Iterations(), c.cryptRounds(), c.pbkdf2Rounds(), c.scramIterations());
        } else if (u.startsWith("ARGON2")) {
            return new HashCosts(c.bcryptCost(), c.argon2MemoryKiB(), r, c.cryptRounds(), c.pbkdf2Rounds(), c.scramIterations());
        } else if (u.startsWith("PBKDF2")) {
            return new HashCosts(c.bcryptCost(), c.argon2MemoryKiB(), c.argon2Iterations(), c.cryptRounds(), r, c.scramIterations());
        } else if (u.startsWith("SCRAM")) {
            return new HashCosts(c.bcryptCost(), c.argon2MemoryKiB(), c.argon2Iterations(), c.cryptRounds(), c.pbkdf2Rounds(), r);
        }
        return new HashCosts(c.bcryptCost(), c.argon2MemoryKiB(), c.argon2Iterations(), r, c.pbkdf2Rounds(), c.scramIterations());
    }
}
