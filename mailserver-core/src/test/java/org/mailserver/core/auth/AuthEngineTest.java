package org.mailserver.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailserver.core.auth.AuthFixture.ctx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.AuthResult.Status;
import org.mailserver.core.auth.scheme.HashCosts;

/** Logins through the engine and service: passwd-file fields, delays, lock-outs, plaintext policy, the pool. */
@Timeout(30)
class AuthEngineTest {
    @TempDir
    Path dir;
    private AuthEngine engine;
    private DefaultAuthService service;

    @BeforeEach
    void setUp() throws Exception {
        String alice = AuthFixture.SCHEMES.generate("SHA512-CRYPT", "alice-pw", HashCosts.FAST);
        Path users = AuthFixture.write(dir,
            "# test users",
            "alice@example.test:" + alice + ":1000:1000::/home/alice::userdb_quota_rule=*:storage=1G userdb_mail=maildir:~/Mail",
            "bob@Example.TEST:{PLAIN}bob-pw",
            "open@example.test::::::: nopassword",
            "gone@example.test:{PLAIN}gone-pw::::::nologin reason=moved",
            "lan@example.test:{PLAIN}lan-pw::::::allow_nets=192.0.2.0/24,::1");
        engine = AuthFixture.engine(users, AuthFixture.config(AuthFixture.guard(200, 400, 4, 6, 1200)), null);
        service = new DefaultAuthService(engine, "mx.example.test");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private AuthResult login(String user, String pw, String ip) throws Exception {
        return service.login(user, pw, ctx(ip, true)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void rightPasswordsLogIn() throws Exception {
        AuthResult r = login("Alice@EXAMPLE.test", "alice-pw", "198.51.100.1");
        assertTrue(r.ok(), r.toString());
        assertEquals("alice@example.test", r.user());
        assertEquals("1000", r.userInfo().uid());
        assertEquals("/home/alice", r.userInfo().home());
        assertEquals("maildir:~/Mail", r.userInfo().mail());
        assertEquals("*:storage=1G", r.userInfo().field("quota_rule"));
        assertTrue(login("bob@example.test", "bob-pw", "198.51.100.1").ok(), "domain case-insensitive in the file too");
        assertTrue(login("open@example.test", "anything", "198.51.100.1").ok(), "nopassword");
        assertTrue(login("lan@example.test", "lan-pw", "192.0.2.77").ok(), "allow_nets match");
    }

    @Test
    void failuresAreDelayedAndCarryNoDetail() throws Exception {
        long start = System.nanoTime();
        AuthResult wrong = login("alice@example.test", "nope", "198.51.100.2");
        long wrongMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(Status.FAILED, wrong.status());
        assertEquals("authentication failed", wrong.reason());
        assertTrue(wrongMs >= 190, "failure answered after the delay, took " + wrongMs + " ms");

        start = System.nanoTime();
        AuthResult unknown = login("nobody@example.test", "x", "198.51.100.3");
        assertEquals(Status.FAILED, unknown.status());
        assertEquals(wrong.reason(), unknown.reason(), "unknown user and wrong password look the same");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 190);

        start = System.nanoTime();
        assertTrue(login("bob@example.test", "bob-pw", "198.51.100.4").ok());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 190, "success is not delayed");
    }

    @Test
    void failuresAreLoggedInTheShapeFail2banExpects() throws Exception {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mailserver.auth");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            login("alice@example.test", "nope", "203.0.113.77");
            login("ghost@example.test", "nope", "203.0.113.78");
            login("evil\r\nuser (x)", "nope", "203.0.113.79");
        } finally {
            log.detachAppender(appender);
        }
        List<String> lines = appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        // The failregex of fail2ban's filter.d/dovecot.conf, after its "auth: " prefix.
        java.util.regex.Pattern fail2ban = java.util.regex.Pattern.compile(
            "^auth: [a-z\\-]{3,15}\\(\\S*,(?<host>[0-9.]+)(?:,\\S*)?\\): (?:[Uu]nknown user|[Ii]nvalid credentials|[Pp]assword mismatch)");
        assertEquals("auth: passwd-file(alice@example.test,203.0.113.77): password mismatch (service=imap method=LOGIN rip=203.0.113.77)",
            lines.get(0));
        assertEquals("auth: passwd-file(ghost@example.test,203.0.113.78): unknown user (service=imap method=LOGIN rip=203.0.113.78)",
            lines.get(1));
        for (String l : lines) {
            java.util.regex.Matcher m = fail2ban.matcher(l);
            assertTrue(m.find(), l);
            assertTrue(m.group("host").startsWith("203.0.113.7"), l);
            assertFalse(l.contains("\n") || l.contains("\r"), "no log injection: " + l);
        }
    }

    @Test
    void nologinAndAllowNetsRefuseEvenWithTheRightPassword() throws Exception {
        AuthResult gone = login("gone@example.test", "gone-pw", "198.51.100.5");
        assertEquals(Status.FAILED, gone.status());
        assertEquals("moved", gone.reason());
        assertEquals(Status.FAILED, login("lan@example.test", "lan-pw", "198.51.100.5").status());
    }

    @Test
    void repeatedFailuresGrowTheDelayThenLockTheIpUntilTheWindowEnds() throws Exception {
        String attacker = "203.0.113.5";
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            assertEquals(Status.FAILED, login("alice@example.test", "guess" + i, attacker).status());
            delays.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        assertTrue(delays.get(0) >= 190 && delays.get(1) >= 390 && delays.get(3) < 1000, "delays double up to the max: " + delays);
        // Locked now: even the right password is refused from this IP, without checking it.
        assertEquals(Status.LOCKED_OUT, login("bob@example.test", "bob-pw", attacker).status());
        // Another IP is unaffected, for another user and for the attacked one.
        assertTrue(login("bob@example.test", "bob-pw", "198.51.100.9").ok());
        assertTrue(login("alice@example.test", "alice-pw", "198.51.100.9").ok());
        Thread.sleep(1000);
        assertTrue(login("bob@example.test", "bob-pw", attacker).ok(), "lock-out lifted after the window");
    }

    @Test
    void attackOnOneUserFromManyIpsLocksThatUserButNotItsUsualIp() throws Exception {
        assertTrue(login("bob@example.test", "bob-pw", "198.51.100.20").ok()); // bob's usual IP
        List<CompletableFuture<AuthResult>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attempts.add(service.login("bob@example.test", "guess", ctx("203.0.113." + (10 + i), true)));
        }
        for (CompletableFuture<AuthResult> f : attempts) {
            assertEquals(Status.FAILED, f.get(10, TimeUnit.SECONDS).status());
        }
        assertEquals(Status.LOCKED_OUT, login("bob@example.test", "bob-pw", "203.0.113.99").status());
        assertTrue(login("bob@example.test", "bob-pw", "198.51.100.20").ok(), "bob's own IP still works");
        assertTrue(login("alice@example.test", "alice-pw", "203.0.113.99").ok(), "other users unaffected");
    }

    @Test
    void plaintextNeedsTlsUnlessLoopbackIsAllowed() throws Exception {
        AuthContext clear = ctx("198.51.100.30", false);
        assertEquals(List.of("SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5"), service.mechanisms(clear));
        assertTrue(service.startSasl("PLAIN", clear).isEmpty());
        assertEquals(Status.FAILED, service.login("bob@example.test", "bob-pw", clear).get(5, TimeUnit.SECONDS).status());
        assertTrue(service.mechanisms(ctx("198.51.100.30", true)).contains("PLAIN"));
        assertTrue(service.startSasl("plain", ctx("198.51.100.30", true)).isPresent());
        assertTrue(service.startSasl("DIGEST-MD5", ctx("198.51.100.30", true)).isEmpty());
    }

    @Test
    void lookupsAndHashingRunOnTheAuthPoolNotTheCaller() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.mailserver.core.auth.db.PassDb recording = new org.mailserver.core.auth.db.PassDb() {
            @Override
            public String driver() {
                return "recording";
            }

            @Override
            public java.util.Optional<org.mailserver.core.auth.db.PassDbEntry> lookup(String user)
                    throws org.mailserver.core.auth.db.AuthBackendException {
                threads.add(Thread.currentThread().getName());
                return engine.passDb().lookup(user);
            }
        };
        try (AuthEngine e = new AuthEngine(engine.config(), recording, engine.userDb(), AuthFixture.SCHEMES)) {
            assertTrue(e.verifyPlain("alice@example.test", "alice-pw", ctx("198.51.100.40", true), "PLAIN").get(5, TimeUnit.SECONDS).ok());
        }
        assertEquals(1, threads.size());
        assertTrue(threads.get(0).startsWith("auth-worker-"), threads.toString());
    }

    @Test
    void aFloodIsBoundedByTheQueueAndFailsTemporarily() throws Exception {
        // 2 workers, queue 50: a burst of 200 logins gets some TEMPORARY_FAILUREs instead of an unbounded backlog.
        List<CompletableFuture<AuthResult>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(service.login("alice@example.test", "alice-pw", ctx("198.51.100." + (i % 200 + 1), true)));
        }
        int ok = 0;
        int temp = 0;
        for (CompletableFuture<AuthResult> f : all) {
            AuthResult r = f.get(20, TimeUnit.SECONDS);
            ok += r.ok() ? 1 : 0;
            temp += r.status() == Status.TEMPORARY_FAILURE ? 1 : 0;
        }
        assertEquals(200, ok + temp);
        assertTrue(ok >= 50, "ok=" + ok);
    }

    @Test
    void lookupUserAndStaticUserdb() throws Exception {
        assertEquals("/home/alice", service.lookupUser("alice@example.test").orElseThrow().home());
        assertTrue(service.lookupUser("nobody@example.test").isEmpty());
        AuthEngine st = AuthFixture.engine(dir.resolve("users"), engine.config(), "static:uid=vmail gid=vmail home=/var/vmail/%d/%n");
        try {
            UserInfo bob = st.lookupUser("BOB@example.test").orElseThrow();
            assertEquals("/var/vmail/example.test/bob", bob.home());
            assertEquals("vmail", bob.uid());
            assertTrue(st.lookupUser("nobody@example.test").isEmpty(), "static userdb knows only passdb users");
        } finally {
            st.close();
        }
    }
}
