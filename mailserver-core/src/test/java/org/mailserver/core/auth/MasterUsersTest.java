package org.mailserver.core.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailserver.core.auth.AuthFixture.ctx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.db.AuthDrivers;
import org.mailserver.core.auth.sasl.PlainMechanism;

/** Master users: PLAIN authzid and the TARGET*MASTER name form; wrong master passwords, unknown targets. */
@Timeout(20)
class MasterUsersTest {
    @TempDir
    Path dir;
    private AuthEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        Path users = AuthFixture.write(dir, "alice@example.test:{PLAIN}alice-pw");
        Path masters = dir.resolve("masters");
        Files.writeString(masters, "admin:{PLAIN}master-pw\nlazy::::::: nopassword\n");
        AuthEngine plain = AuthFixture.engine(users, AuthFixture.config(AuthFixture.guard(10, 20, 100, 100, 1000)), null);
        engine = new AuthEngine(plain.config(), plain.passDb(), plain.userDb(), AuthFixture.SCHEMES,
            new MasterUsers("*", AuthDrivers.passDb("passwd-file:" + masters, dir, AuthFixture.SCHEMES)));
        plain.close();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private AuthResult plain(String message) throws Exception {
        return new PlainMechanism(engine, ctx("192.0.2.5", true)).respond(message.getBytes(UTF_8)).get(5, TimeUnit.SECONDS).result();
    }

    private AuthResult login(String user, String password) throws Exception {
        return engine.verifyPlain(user, password, ctx("192.0.2.5", true), "LOGIN").get(5, TimeUnit.SECONDS);
    }

    @Test
    void masterLogsInAsTheTargetWithItsOwnPassword() throws Exception {
        AuthResult r = plain("alice@example.test\0admin\0master-pw");
        assertTrue(r.ok(), r.toString());
        assertEquals("alice@example.test", r.user());
        AuthResult viaName = login("alice@example.test*admin", "master-pw");
        assertTrue(viaName.ok(), viaName.toString());
        assertEquals("alice@example.test", viaName.user());
        assertTrue(login("alice@example.test", "alice-pw").ok(), "ordinary logins unchanged");
    }

    @Test
    void refusals() throws Exception {
        assertFalse(plain("alice@example.test\0admin\0alice-pw").ok(), "the target's password is not the master's");
        assertFalse(plain("ghost@example.test\0admin\0master-pw").ok(), "target must exist");
        assertFalse(plain("alice@example.test\0alice@example.test*x\0master-pw").ok());
        assertFalse(login("alice@example.test*lazy", "anything").ok(), "a nopassword master is refused");
        assertFalse(login("alice@example.test*nobody", "master-pw").ok());
    }
}
