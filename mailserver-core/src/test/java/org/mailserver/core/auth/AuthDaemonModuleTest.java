package org.mailserver.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;

/** The daemon module: SPI registration, the demo user, a real Dovecot passwd-file, reload, bad configuration. */
@Timeout(30)
class AuthDaemonModuleTest {
    @TempDir
    Path dir;

    private Settings settings(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("passdb", "passwd-file:data/users", "auth_generate_scheme", "SHA512-CRYPT",
            "auth_failure_delay", "0"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Settings.of(m, dir);
    }

    @Test
    void discoveredThroughServiceLoaderAtOrder100() {
        DaemonModule m = ServiceLoader.load(DaemonModule.class).stream().map(ServiceLoader.Provider::get)
            .filter(x -> x instanceof AuthDaemonModule).findFirst().orElseThrow();
        assertEquals(100, m.order());
    }

    @Test
    void demoUserIsCreatedOnceWithAPrintedPasswordThatWorks() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        AuthDaemonModule module = new AuthDaemonModule();
        Services services = new Services();
        try {
            System.setOut(new PrintStream(captured, true));
            module.start(settings("demo_user", "demo@example.test"), services);
        } finally {
            System.setOut(saved);
        }
        try {
            Matcher m = Pattern.compile("demo user demo@example.test created with password: (\\S+)").matcher(captured.toString());
            assertTrue(m.find(), captured.toString());
            Path users = dir.resolve("data/users");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
            AuthService auth = services.require(AuthService.class);
            AuthResult r = auth.login("demo@example.test", m.group(1), AuthFixture.ctx("192.0.2.1", true)).get(10, TimeUnit.SECONDS);
            assertTrue(r.ok(), r.toString());
            String before = Files.readString(users);
            AuthEngine again = AuthDaemonModule.build(settings("demo_user", "demo@example.test"));
            again.close();
            assertEquals(before, Files.readString(users), "existing demo user left alone");
        } finally {
            module.stop();
        }
    }

    @Test
    void aRealDovecotPasswdFileAuthenticatesUnchangedAndReloadKeepsTheService() throws Exception {
        // Lines as a Dovecot admin has them, hashes from Debian's doveadm pw (password "pässwörd 1").
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/users"), String.join("\n",
            "# Dovecot passwd-file",
            "a@example.test:{SHA512-CRYPT}$6$i6vKcMUy/xg/cNDv$rZ8bX4szuQpTSF6aF7E5vzUbLLr1wxMRb7fkzVXBbeZlr6Mveb0ULf1vkpeNBmoi9EEhMu1wPl9x6z45nXMVQ0:5000:5000::/var/vmail/example.test/a::userdb_quota_rule=*:storage=1G",
            "b@example.test:{BLF-CRYPT}$2y$05$4tsydUbhnNaNdrShjtUsi.kekH8GbG.GqGzvSz85JwTGBfYd42Wpe:5000:5000::/var/vmail/example.test/b",
            "c@example.test:{SSHA512}spzo35rtmHZYTIXO96y5uETVDKJF/FX9pQ7a7f/fAh9TCzbONSXWioTTli96YwNzWD1mwfzdC04PTF3kO2UbRZ/Uwok=:5000:5000",
            "d@example.test:{PBKDF2}$1$/MSvLUkiSG1Egom0$5000$02b56551ffbaa3997c3cd292cfa255a704eb68ae::::",
            "e@example.test:$6$i6vKcMUy/xg/cNDv$rZ8bX4szuQpTSF6aF7E5vzUbLLr1wxMRb7fkzVXBbeZlr6Mveb0ULf1vkpeNBmoi9EEhMu1wPl9x6z45nXMVQ0",
            "f@example.test:{CRAM-MD5}52088da9670cd71eb1a28e47c53cd529f0dab67d4b8b55f1cf849141d512452f",
            "g@example.test:{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$DwpMRTGfpHvEnJJyvEkGFg$3K+C/pongdv+4f1/xAWqCXElrDIuOvZaxfdv2jAs13I",
            ""));
        AuthDaemonModule module = new AuthDaemonModule();
        Services services = new Services();
        module.start(settings("userdb", "static:uid=vmail gid=vmail home=/srv/%d/%n"), services);
        try {
            AuthService auth = services.require(AuthService.class);
            for (String u : new String[] {"a", "b", "c", "d", "e", "f", "g"}) {
                AuthResult r = auth.login(u + "@example.test", "pässwörd 1", AuthFixture.ctx("192.0.2.2", true)).get(10, TimeUnit.SECONDS);
                assertTrue(r.ok(), u + ": " + r);
                assertEquals("/srv/example.test/" + u, r.userInfo().home());
            }
            module.reload(settings(), services);
            assertTrue(services.require(AuthService.class) == auth, "same service object after reload");
            AuthResult r = auth.login("a@example.test", "pässwörd 1", AuthFixture.ctx("192.0.2.2", true)).get(10, TimeUnit.SECONDS);
            assertEquals("/var/vmail/example.test/a", r.userInfo().home(), "new userdb in effect");
        } finally {
            module.stop();
        }
    }

    @Test
    void fromSettingsForOtherModulesTests() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/users"), "u@example.test:{PLAIN}pw\n");
        DefaultAuthService auth = DefaultAuthService.fromSettings(settings());
        try {
            long start = System.nanoTime();
            assertEquals(AuthResult.Status.FAILED, auth.login("u@example.test", "bad", AuthFixture.ctx("192.0.2.3", true))
                .get(5, TimeUnit.SECONDS).status());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "auth_failure_delay = 0 honoured");
            assertTrue(auth.login("u@example.test", "pw", AuthFixture.ctx("192.0.2.3", true)).get(5, TimeUnit.SECONDS).ok());
        } finally {
            auth.engine().close();
        }
    }

    @Test
    void badConfigurationFailsWithTheParameterName() {
        assertThrows(ConfigException.class, () -> AuthDaemonModule.build(settings("passdb", "ldap:/etc/x")));
        assertThrows(ConfigException.class, () -> AuthDaemonModule.build(settings("auth_mechanisms", "plain gssapi")));
        assertThrows(ConfigException.class, () -> AuthDaemonModule.build(settings("default_pass_scheme", "NOPE")));
        ConfigException e = assertThrows(ConfigException.class, () -> AuthDaemonModule.build(settings("auth_bcrypt_cost", "99")));
        assertTrue(e.getMessage().startsWith("auth_bcrypt_cost"));
        assertThrows(ConfigException.class, () -> AuthDaemonModule.build(settings("userdb", "static:uid")));
    }
}
