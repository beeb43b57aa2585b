package org.mailserver.core.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class MasterCfTest {
    @TempDir
    Path dir;

    private MasterCf load(String text) throws IOException {
        Files.writeString(dir.resolve("master.cf"), text);
        return MasterCf.load(dir);
    }

    private String error(String text) throws IOException {
        Files.writeString(dir.resolve("master.cf"), text);
        return assertThrows(ConfigException.class, () -> MasterCf.load(dir)).getMessage();
    }

    private String file() {
        return dir.resolve("master.cf").toString();
    }

    @Test
    void parsesListenersAddressesAndContinuedOptions() throws IOException {
        MasterCf cf = load("""
            # service   protocol address
            smtp        smtp     :25
            submission  smtp     127.0.0.1:submission
            submissions smtp     0.0.0.0:465 -o test_wrappermode=yes
                -o test_integer=5
              # a comment between continuation lines
                -o { recipient_delimiter = + - }
            imaps       imap     [::1]:993  -otest_wrappermode=yes
            imap        imap     143
            pop         imap     *:1143
            lmtp        lmtp     unix:private/lmtp
            """);
        List<ListenerDefinition> l = cf.listeners();
        assertEquals(7, l.size());
        assertEquals(new ListenerDefinition("smtp", "smtp", new ListenAddress.Inet(null, 25), Map.of(), dir.resolve("master.cf"), 2),
            l.get(0));
        assertEquals(new ListenAddress.Inet("127.0.0.1", 587), l.get(1).address());
        ListenerDefinition subs = l.get(2);
        assertEquals(4, subs.line());
        assertEquals(List.of("test_wrappermode", "test_integer", "recipient_delimiter"), List.copyOf(subs.overrides().keySet()));
        assertEquals("+ -", subs.overrides().get("recipient_delimiter"));
        assertEquals(new ListenAddress.Inet("::1", 993), l.get(3).address());
        assertEquals("[::1]:993", l.get(3).address().toString());
        assertEquals(Map.of("test_wrappermode", "yes"), l.get(3).overrides());
        assertEquals(new ListenAddress.Inet(null, 143), l.get(4).address());
        assertEquals("143", l.get(4).address().toString());
        assertEquals(new ListenAddress.Inet("*", 1143), l.get(5).address());
        assertEquals("*:1143", l.get(5).address().toString());
        assertEquals(new ListenAddress.Unix(Path.of("private/lmtp")), l.get(6).address());
        assertEquals(Path.of("/var/lib/m/private/lmtp"), ((ListenAddress.Unix) l.get(6).address()).resolve(Path.of("/var/lib/m")));
        assertEquals(List.of(), cf.warnings());

        Settings main = Settings.of(Map.of("test_integer", "1"));
        Settings forSubs = subs.settings(main);
        assertTrue(forSubs.getBoolean("test_wrappermode"));
        assertEquals(5, forSubs.getInt("test_integer"));
        assertEquals(1, main.getInt("test_integer"));
        assertSame(main, l.get(0).settings(main));
    }

    /** Errors name the line where the listener's logical line starts, as Postfix does. */
    @Test
    void badLinesNameFileAndLine() throws IOException {
        assertEquals(file() + ":2: expected: service protocol address [-o name=value ...]",
            error("smtp smtp :25\nimap imap\n"));
        assertEquals(file() + ":1: pop3: unknown protocol \"pop3\" (use smtp, lmtp or imap)", error("pop3 pop3 :110\n"));
        assertEquals(file() + ":1: smtp: unknown protocol \"inet\" (use smtp, lmtp or imap); this looks like Postfix's"
            + " master.cf, ours is: service protocol address [-o name=value ...]", error("smtp inet n - y - - smtpd\n"));
        assertEquals(file() + ":3: smtp: duplicate service name (also at line 1)",
            error("smtp smtp :25\n\nsmtp smtp :2525\n"));
        assertEquals(file() + ":1: smtp: bad address \"1.2.3.4:99999\": port out of range: 99999",
            error("smtp smtp 1.2.3.4:99999\n"));
        assertEquals(file() + ":1: smtp: bad address \"::1:25\": an IPv6 address must be written in brackets: [addr]:port",
            error("smtp smtp ::1:25\n"));
        assertEquals(file() + ":1: smtp: bad address \"[::1]25\": expected [ipv6-address]:port", error("smtp smtp [::1]25\n"));
        assertEquals(file() + ":1: smtp: bad address \"host:smtpx\": bad port \"smtpx\"", error("smtp smtp host:smtpx\n"));
        assertEquals(file() + ":1: smtp: bad address \"unix:\": missing socket path after unix:", error("smtp smtp unix:\n"));
        assertEquals(file() + ":1: smtp: -o without name=value", error("smtp smtp :25\n  -o\n"));
        assertEquals(file() + ":1: smtp: unexpected \"-v\" (only -o name=value options)", error("smtp smtp :25 -v\n"));
        assertEquals(file() + ":1: smtp: expected -o name=value, got \"novalue\"", error("smtp smtp :25 -o novalue\n"));
        assertEquals(file() + ":1: test_wrappermode: expected yes or no: \"perhaps\"",
            error("smtp smtp :25\n -o test_wrappermode=perhaps\n"));
        assertEquals(file() + ":1: unbalanced '{'", error("smtp smtp :25 -o { a = b\n"));
        Path empty = dir.resolve("empty");
        assertEquals(empty.resolve("master.cf") + ": file not found",
            assertThrows(ConfigException.class, () -> MasterCf.load(empty)).getMessage());
    }

    @Test
    void unknownOverrideIsAWarningWithSuggestion() throws IOException {
        MasterCf cf = load("submissions smtp :465\n  -o test_wrapermode=yes\n");
        assertEquals(List.of(file() + ":1: submissions: -o test_wrapermode: unknown parameter; did you mean test_wrappermode?"),
            cf.warnings());
        assertEquals("yes", cf.listeners().get(0).overrides().get("test_wrapermode"));
    }

    @Test
    void overrideWithExpansionIsCheckedWhenReadAndNamesTheMasterCfLine() throws IOException {
        MasterCf cf = load("smtp smtp :25\n\nsubmission smtp :587 -o test_boolean=$myorigin\n");
        Settings s = cf.listeners().get(1).settings(Settings.of(Map.of("myorigin", "example.test")));
        assertEquals(file() + ":3: test_boolean: expected yes or no: \"example.test\"",
            assertThrows(ConfigException.class, () -> s.getBoolean("test_boolean")).getMessage());
        assertEquals(file() + ":3: test_boolean: expected yes or no: \"example.test\"",
            assertThrows(ConfigException.class, () -> cf.validate(Settings.of(Map.of("myorigin", "example.test")))).getMessage());
        cf.validate(Settings.of(Map.of("myorigin", "yes")));

        MasterCf maps = load("smtp smtp :25 -o virtual_alias_maps=hash:$myorigin\n");
        assertEquals(file() + ":1: virtual_alias_maps: " + dir.resolve("absent") + ": file not found",
            assertThrows(ConfigException.class, () -> maps.validate(Settings.of(Map.of("myorigin", "absent"), dir))).getMessage());
    }
}
