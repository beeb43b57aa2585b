package org.mailserver.core.auth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import org.mailserver.core.cli.CliContext;
import org.mailserver.core.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The admin commands through picocli under a tiny root implementing CliContext, as the real root will. */
@Timeout(30)
class AuthCommandsTest {
    @TempDir
    Path dir;
    private Settings settings;

    @Command(name = "mailserver")
    static final class TestRoot implements CliContext {
        final Path directory;
        final Settings settings;

        TestRoot(Path directory, Settings settings) {
            this.directory = directory;
            this.settings = settings;
        }

        @Override
        public Path configDirectory() {
            return directory;
        }

        @Override
        public Settings settings() {
            return settings;
        }
    }

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("users"), "# users\nalice@example.test:{PLAIN}alice-pw:1000:1000::/home/alice::userdb_quota_rule=*:storage=1G\n");
        settings = Settings.of(Map.of("passdb", "passwd-file:users", "auth_generate_scheme", "SHA512-CRYPT",
            "auth_bcrypt_cost", "4"), dir);
    }

    @AfterEach
    void restoreStdin() {
        CliSupport.stdin = System.in;
    }

    private Run run(String stdin, String... args) {
        if (stdin != null) {
            CliSupport.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }
        CommandLine cl = new CommandLine(new TestRoot(dir, settings));
        new AuthCommands().commands().forEach(cl::addSubcommand);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void authTestExitsZeroOnlyForTheRightPassword() {
        Run ok = run(null, "auth", "test", "alice@EXAMPLE.test", "alice-pw");
        assertEquals(0, ok.exit, ok.err);
        assertTrue(ok.out.contains("passdb: alice@example.test auth succeeded"), ok.out);
        assertTrue(ok.out.contains("quota_rule=*:storage=1G"), ok.out);
        assertEquals(77, run(null, "auth", "test", "alice@example.test", "wrong").exit);
        assertEquals(77, run(null, "auth", "test", "nobody@example.test", "x").exit);
        assertEquals(0, run("alice-pw\n", "auth", "test", "alice@example.test").exit, "password from stdin");
    }

    @Test
    void userShowsUserdbFields() {
        Run r = run(null, "user", "alice@example.test");
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("home\t/home/alice") && r.out.contains("uid\t1000"), r.out);
        assertEquals(67, run(null, "user", "ghost@example.test").exit);
    }

    @Test
    void userAddPasswdDelEditTheFile() throws Exception {
        Run add = run(null, "user", "add", "bob@example.test", "-p", "bob-pw");
        assertEquals(0, add.exit, add.err + add.out);
        assertTrue(Files.readString(dir.resolve("users")).contains("bob@example.test:{SHA512-CRYPT}$6$"));
        assertEquals(0, run(null, "auth", "test", "bob@example.test", "bob-pw").exit);
        assertEquals(64, run(null, "user", "add", "bob@example.test", "-p", "x").exit, "exists already");

        assertEquals(0, run("new-pw\n", "user", "passwd", "bob@example.test", "-s", "BLF-CRYPT").exit);
        assertEquals(0, run(null, "auth", "test", "bob@example.test", "new-pw").exit);
        assertEquals(77, run(null, "auth", "test", "bob@example.test", "bob-pw").exit);
        assertEquals(67, run(null, "user", "passwd", "ghost@example.test", "-p", "x").exit);

        assertEquals(0, run(null, "user", "del", "bob@example.test").exit);
        assertEquals(77, run(null, "auth", "test", "bob@example.test", "new-pw").exit);
        assertTrue(Files.readString(dir.resolve("users")).startsWith("# users\nalice@example.test:{PLAIN}alice-pw:"));
    }

    @Test
    void pwGeneratesAndTestsLikeDoveadm() {
        Run gen = run(null, "pw", "-s", "SSHA512", "-p", "secret");
        assertEquals(0, gen.exit, gen.err);
        String hash = gen.out.trim();
        assertTrue(hash.startsWith("{SSHA512}"), hash);
        assertEquals(PasswordSchemes.Verdict.MATCH, PasswordSchemes.standard().verify("secret", hash, "CRYPT"));
        Run t = run(null, "pw", "-t", hash, "-p", "secret");
        assertEquals(0, t.exit);
        assertTrue(t.out.contains("(verified)"));
        assertEquals(77, run(null, "pw", "-t", hash, "-p", "nope").exit);
        assertTrue(run(null, "pw", "-p", "x").out.startsWith("{SHA512-CRYPT}$6$"), "default from auth_generate_scheme");
        assertTrue(run(null, "pw", "-s", "BLF-CRYPT", "-r", "5", "-p", "x").out.startsWith("{BLF-CRYPT}$2y$05$"));
        assertTrue(run("from-stdin\n", "pw", "-s", "PLAIN").out.trim().equals("{PLAIN}from-stdin"));
        assertEquals(64, run(null, "pw", "-s", "NOPE", "-p", "x").exit);
        assertTrue(run(null, "pw", "-l").out.contains("ARGON2ID"));
    }
}
