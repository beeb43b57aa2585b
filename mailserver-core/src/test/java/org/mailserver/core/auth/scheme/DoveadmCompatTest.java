package org.mailserver.core.auth.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with the real Debian {@code doveadm pw}: hashes doveadm makes verify here, and hashes we make
 * verify with {@code doveadm pw -t}. Skipped only when doveadm is not installed (CI installs dovecot-core).
 */
@Timeout(120)
class DoveadmCompatTest {
    private static final String PASSWORD = "correct horse ë";
    private static Path doveadm;
    private final PasswordSchemes schemes = PasswordSchemes.standard();

    @BeforeAll
    static void findDoveadm() {
        doveadm = List.of(Path.of("/usr/bin/doveadm"), Path.of("/usr/local/bin/doveadm")).stream()
            .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(doveadm != null, "doveadm not installed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRYPT", "MD5-CRYPT", "SHA256-CRYPT", "SHA512-CRYPT", "BLF-CRYPT", "ARGON2I", "ARGON2ID",
        "SSHA", "SSHA256", "SSHA512", "SHA256", "SHA512", "SHA", "SMD5", "PLAIN-MD5", "LDAP-MD5", "CRAM-MD5", "PBKDF2",
        "SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN", "SHA256.HEX", "SSHA512.HEX", "CRAM-MD5.B64"})
    void doveadmHashesVerifyHere(String scheme) throws Exception {
        Result r = run(doveadm.toString(), "pw", "-s", scheme, "-p", PASSWORD);
        Assumptions.assumeTrue(r.exit == 0 || !r.output.contains("Unknown scheme"), "doveadm lacks " + scheme);
        assertEquals(0, r.exit, r.output);
        String stored = r.output.trim();
        assertEquals(PasswordSchemes.Verdict.MATCH, schemes.verify(PASSWORD, stored, "CRYPT"), stored);
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify(PASSWORD + "!", stored, "CRYPT"), stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRYPT", "MD5-CRYPT", "SHA256-CRYPT", "SHA512-CRYPT", "BLF-CRYPT", "ARGON2I", "ARGON2ID",
        "SSHA", "SSHA256", "SSHA512", "SHA256", "SHA512", "SHA", "SMD5", "PLAIN-MD5", "LDAP-MD5", "CRAM-MD5", "PBKDF2",
        "SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN", "SHA256.HEX", "SSHA512.B64"})
    void ourHashesVerifyWithDoveadm(String scheme) throws Exception {
        // Real costs where doveadm checks them (libsodium refuses argon2 below its minimums).
        HashCosts costs = new HashCosts(5, 8192, 3, 6000, 2000, 4096);
        String stored = schemes.generate(scheme, PASSWORD, costs);
        Result ok = run(doveadm.toString(), "pw", "-t", stored, "-p", PASSWORD);
        assertEquals(0, ok.exit, stored + ": " + ok.output);
        assertTrue(ok.output.contains("(verified)"), ok.output);
        Result bad = run(doveadm.toString(), "pw", "-t", stored, "-p", PASSWORD + "!");
        assertTrue(bad.exit != 0, stored + " verified with a wrong password: " + bad.output);
    }

    @org.junit.jupiter.api.Test
    void bcryptUsesTheFirst72BytesLikeLibxcrypt() throws Exception {
        String longPassword = "x".repeat(71) + "ü" + "tail"; // the 72-byte limit falls inside a UTF-8 character
        Result r = run(doveadm.toString(), "pw", "-s", "BLF-CRYPT", "-p", longPassword);
        assertEquals(0, r.exit, r.output);
        assertEquals(PasswordSchemes.Verdict.MATCH, schemes.verify(longPassword, r.output.trim(), "CRYPT"));
        assertEquals(PasswordSchemes.Verdict.MISMATCH, schemes.verify("x".repeat(71), r.output.trim(), "CRYPT"));
        String ours = schemes.generate("BLF-CRYPT", longPassword, HashCosts.FAST);
        assertEquals(0, run(doveadm.toString(), "pw", "-t", ours, "-p", longPassword).exit);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), out);
    }
}
