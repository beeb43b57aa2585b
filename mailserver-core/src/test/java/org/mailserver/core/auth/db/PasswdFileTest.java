package org.mailserver.core.auth.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.auth.scheme.PasswordSchemes;

/** The passwd-file format, malformed lines, reload on change, per-domain files, variables. */
@Timeout(10)
class PasswdFileTest {
    @TempDir
    Path dir;
    private final PasswordSchemes schemes = PasswordSchemes.standard();

    @Test
    void parsesDovecotLinesAndSkipsMalformedOnesWithTheirLineNumbers() {
        PasswdFile f = PasswdFile.parse(String.join("\n",
            "# comment",
            "",
            "alice@example.test:{PLAIN}pw:1000:1000:Alice A:/home/alice:/bin/false:userdb_quota_rule=*:storage=1G nopassword",
            "bob@example.test:{SHA256}abc",
            "no colon here",
            "carol@example.test:{NOSUCH}x",
            ":{PLAIN}emptyuser",
            "dave@example.test:{PLAIN}pw:10 00:1000",
            "bob@EXAMPLE.test:{PLAIN}second",
            "erin@example.test:{PLAIN}pw::::::allow_nets=not-an-ip",
            "frank@example.test:$6$bare$hash\r",
            "  # indented comment"), schemes::knows);
        assertEquals(List.of("alice@example.test", "bob@example.test", "frank@example.test"), List.copyOf(f.users().keySet()));
        assertEquals(List.of(5, 6, 7, 8, 9, 10), f.problems().stream().map(PasswdFile.Problem::line).toList());
        PasswdFile.Entry alice = f.find("alice@EXAMPLE.TEST");
        assertEquals("1000", alice.uid());
        assertEquals("Alice A", alice.gecos());
        assertEquals(Map.of("quota_rule", "*:storage=1G"), alice.userdbFields());
        assertEquals(Map.of("nopassword", ""), alice.passdbFields());
        assertEquals("{SHA256}abc", f.find("bob@example.test").password(), "first line wins");
        assertEquals("$6$bare$hash", f.find("frank@example.test").password(), "CR stripped");
        assertNull(f.find("Alice@example.test"), "the local part stays case-sensitive");
        f.problems().forEach(p -> assertTrue(!p.message().contains("second") && !p.message().contains("emptyuser")));
    }

    @Test
    void reloadsWhenTheFileChangesAndReportsAMissingFile() throws Exception {
        Path users = dir.resolve("users");
        PasswdFileSource source = new PasswdFileSource(users.toString(), dir, schemes::knows);
        assertThrows(AuthBackendException.class, () -> source.find("a@example.test"));
        Files.writeString(users, "a@example.test:{PLAIN}one\n");
        assertEquals("{PLAIN}one", source.find("a@example.test").password());
        PasswdFile before = source.current(users);
        assertTrue(before == source.current(users), "unchanged file is not re-parsed");
        Files.writeString(users, "a@example.test:{PLAIN}two\nbroken line\nb@example.test:{PLAIN}b\n");
        assertEquals("{PLAIN}two", source.find("a@example.test").password());
        assertNotNull(source.find("b@example.test"), "lines after a malformed one still work");
        Files.delete(users);
        assertThrows(AuthBackendException.class, () -> source.find("a@example.test"));
    }

    @Test
    void perDomainFilesAndRelativePaths() throws Exception {
        Files.createDirectories(dir.resolve("domains/example.test"));
        Files.writeString(dir.resolve("domains/example.test/passwd"), "x@example.test:{PLAIN}x::::/var/mail/%d/%n\n");
        PasswdFileSource source = new PasswdFileSource("domains/%Ld/passwd", dir, schemes::knows);
        assertEquals(dir.resolve("domains/example.test/passwd"), source.pathFor("x@EXAMPLE.test"));
        UserInfo info = new PasswdFileUserDb(source).lookup("x@example.test").orElseThrow();
        assertEquals("/var/mail/example.test/x", info.home());
        assertThrows(AuthBackendException.class, () -> source.find("y@other.test"));
    }

    @Test
    void variables() {
        assertEquals("alice@example.test", UserVariables.expand("%Lu", "Alice@Example.TEST"));
        assertEquals("Alice", UserVariables.expand("%n", "Alice@Example.TEST"));
        assertEquals("EXAMPLE.TEST/alice 100%", UserVariables.expand("%Ud/%Ln 100%%", "Alice@Example.test"));
        assertEquals("example.test-alice", UserVariables.expand("%{domain}-%{username}", "alice@example.test"));
        assertEquals("alice@example.test", UserVariables.normalizeDomain("alice@EXAMPLE.test"));
        assertThrows(IllegalArgumentException.class, () -> UserVariables.expand("%x", "a"));
    }

    @Test
    void allowNets() throws Exception {
        NetMatcher m = new NetMatcher("192.0.2.0/24, 2001:db8::/32 ::1 local");
        assertTrue(m.matches(java.net.InetAddress.getByName("192.0.2.200")));
        assertTrue(!m.matches(java.net.InetAddress.getByName("192.0.3.1")));
        assertTrue(m.matches(java.net.InetAddress.getByName("2001:db8:1::5")));
        assertTrue(m.matches(java.net.InetAddress.getByName("::1")));
        assertTrue(m.matches(null));
        assertThrows(IllegalArgumentException.class, () -> new NetMatcher("example.com"));
        assertThrows(IllegalArgumentException.class, () -> new NetMatcher("10.0.0.0/33"));
    }
}
