package org.mailserver.core.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class MainCfTest {
    @TempDir
    Path dir;

    private MainCf load(String text) throws IOException {
        Files.writeString(dir.resolve("main.cf"), text);
        return MainCf.load(dir);
    }

    private String loadError(String text) throws IOException {
        Files.writeString(dir.resolve("main.cf"), text);
        return assertThrows(ConfigException.class, () -> MainCf.load(dir)).getMessage();
    }

    private String file() {
        return dir.resolve("main.cf").toString();
    }

    @Test
    void continuationLinesCommentsAndBlankLines() throws IOException {
        MainCf cf = load("""
            # a comment
            myhostname = mail.example.test

            mydestination = $myhostname,
                localhost.$mydomain
            # a comment inside the continuation is skipped
            \tlocalhost
            mynetworks = 127.0.0.0/8 # not a comment: Postfix only knows whole-line comments
            """);
        assertEquals(List.of("mail.example.test", "localhost.example.test", "localhost"), cf.getList("mydestination"));
        assertEquals("$myhostname, localhost.$mydomain localhost", cf.explicitRaw("mydestination"));
        assertEquals(2, cf.lineOf("myhostname"));
        assertEquals(4, cf.lineOf("mydestination"));
        assertEquals(8, cf.lineOf("mynetworks"));
        assertEquals(file() + ":4", cf.location("mydestination"));
        assertEquals(List.of("127.0.0.0/8", "#", "not", "a", "comment:", "Postfix", "only", "knows", "whole-line", "comments"),
            cf.getList("mynetworks"));
        assertTrue(cf.isExplicit("myhostname"));
        assertFalse(cf.isExplicit("myorigin"));
        assertEquals(List.of(), cf.warnings());
    }

    @Test
    void expansionFormsAgainstExplicitAndDefaultValues() throws IOException {
        MainCf cf = load("""
            myhostname = mx.example.org
            myorigin = ${mydomain}
            recipient_delimiter = $(myhostname)-$$-${myorigin?set}-${myorigin:unset}-${virtual_mailbox_domains:none}
            """);
        assertEquals("example.org", cf.get("mydomain"), "computed default: myhostname minus its first label");
        assertEquals("example.org", cf.get("myorigin"));
        assertEquals("mx.example.org-$-set--none", cf.get("recipient_delimiter"));
        assertEquals("mx.example.org, localhost.example.org, localhost", cf.get("mydestination"), "defaults expand too");
        assertNull(cf.get("no_such_parameter"));
    }

    @Test
    void expansionLoopIsAnErrorAtTheFirstParameterOfTheCycle() throws IOException {
        assertEquals(file() + ":1: myorigin: expansion loop: $myorigin -> $mydomain -> $myorigin",
            loadError("myorigin = $mydomain\nmydomain = x.$myorigin\n"));
        assertEquals(file() + ":2: myorigin: expansion loop: $myorigin -> $myorigin",
            loadError("myhostname = a.b\nmyorigin = ${myorigin}\n"));
    }

    @Test
    void loopThroughTheComputedDefaultIsDetected() {
        Settings s = Settings.of(Map.of("myhostname", "$mydomain"));
        ConfigException e = assertThrows(ConfigException.class, () -> s.get("myhostname"));
        assertTrue(e.getMessage().contains("expansion loop"), e.getMessage());
    }

    @Test
    void malformedValuesStopLoadingWithFileLineAndName() throws IOException {
        assertEquals(file() + ":2: message_size_limit: not a size: \"10x\"",
            loadError("myhostname = a.example\nmessage_size_limit = 10x\n"));
        assertEquals(file() + ":1: test_boolean: expected yes or no: \"maybe\"", loadError("test_boolean = maybe\n"));
        assertEquals(file() + ":1: test_duration: bad time unit 'y' in \"3y\" (use s, m, h, d or w)",
            loadError("test_duration = 3y\n"));
        assertEquals(file() + ":1: test_integer: not a number: \"ten\"", loadError("test_integer = ten\n"));
        assertEquals(file() + ":3: missing '=' after parameter name: \"this is not a parameter\"",
            loadError("a_b = c\n\nthis is not a parameter\n"));
        assertEquals(file() + ":1: bad parameter name: \"my-hostname\" (letters, digits and _ only)",
            loadError("my-hostname = x\n"));
        assertEquals(file() + ":2: a line that starts with white space continues a previous line, but there is none",
            loadError("# header\n  indented = 1\n"));
    }

    @Test
    void missingFileAndMissingLookupTableAreErrors() throws IOException {
        assertEquals(file() + ": file not found", assertThrows(ConfigException.class, () -> MainCf.load(dir)).getMessage());
        assertEquals(file() + ":1: virtual_alias_maps: " + dir.resolve("virtual") + ": file not found",
            loadError("virtual_alias_maps = hash:virtual\n"));
    }

    @Test
    void typedValuesParse() throws IOException {
        MainCf cf = load("""
            test_integer = 42
            test_boolean = yes
            test_duration = 1h30m
            message_size_limit = 10m
            test_path = spool
            queue_directory = /var/spool/x
            """);
        assertEquals(42, cf.getInt("test_integer"));
        assertTrue(cf.getBoolean("test_boolean"));
        assertEquals(Duration.ofMinutes(90), cf.getDuration("test_duration"));
        assertEquals(10 * 1024 * 1024, cf.getSize("message_size_limit"));
        assertEquals(dir.resolve("spool"), cf.getPath("test_path"));
        assertEquals(Path.of("/var/spool/x"), cf.getPath("queue_directory"));
        assertEquals(Duration.ofSeconds(300), cf.getDuration("test_duration") .minus(Duration.ofMinutes(85)));
    }

    @Test
    void unknownParameterIsAWarningWithTheNearestName() throws IOException {
        MainCf cf = load("mydomian = example.test\nfrobnicate_everything = yes\ninclude = other.cf\n");
        assertEquals(List.of(
            file() + ":1: mydomian: unknown parameter; did you mean mydomain?",
            file() + ":2: frobnicate_everything: unknown parameter",
            file() + ":3: include: unknown parameter"), cf.warnings());
        assertEquals("example.test", cf.get("mydomian"), "unknown parameters still expand, Postfix-style");
    }

    @Test
    void referenceToAnUndefinedParameterIsAWarning() throws IOException {
        MainCf cf = load("myhostname = mx.example.test\nmyorigin = ${mydomian}\nmydestination = $$literal, $(myhostname)\n");
        assertEquals(List.of(file() + ":2: myorigin: $mydomian is not defined and expands to nothing; did you mean $mydomain?"),
            cf.warnings());
        assertEquals("", cf.get("myorigin"));
        assertEquals("$literal, mx.example.test", cf.get("mydestination"));
    }

    @Test
    void laterDefinitionWinsWithAWarning() throws IOException {
        MainCf cf = load("myorigin = a.example\nmyorigin = b.example\n");
        assertEquals("b.example", cf.get("myorigin"));
        assertEquals(2, cf.lineOf("myorigin"));
        assertEquals(List.of(file() + ":2: myorigin: overriding earlier entry at line 1"), cf.warnings());
    }

    @Test
    void listValuesKeepInlineTablesWhole() throws IOException {
        MainCf cf = load("virtual_alias_maps = inline:{ a@x=b@y, { c@x = d@y e@y } },static:z@y\n");
        assertEquals(List.of("inline:{ a@x=b@y, { c@x = d@y e@y } }", "static:z@y"), cf.getList("virtual_alias_maps"));
        assertEquals(List.of(), Settings.of(Map.of()).getList("virtual_mailbox_domains"));
    }

    @Test
    void emptyValues() throws IOException {
        MainCf cf = load("virtual_alias_maps =\nmyorigin=\n");
        assertEquals(List.of(), cf.getList("virtual_alias_maps"));
        assertEquals("", cf.get("myorigin"));
        assertTrue(cf.isExplicit("myorigin"));
        assertEquals(file() + ":1: test_integer: not a number: \"\"", loadError("test_integer =\n"));
    }

    @Test
    void detectsModificationForReload() throws IOException {
        MainCf cf = load("myorigin = a.example\n");
        assertFalse(cf.isModified());
        Path f = dir.resolve("main.cf");
        Files.writeString(f, "myorigin = b.example\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertTrue(cf.isModified());
        assertEquals("b.example", MainCf.load(dir).get("myorigin"));
    }

    @Test
    void relativeConfigDirectoryResolvesPathsAbsolutely() throws IOException {
        Files.writeString(dir.resolve("main.cf"), "test_path = spool\n");
        Path relative = Path.of("").toAbsolutePath().relativize(dir);
        MainCf cf = MainCf.load(relative);
        assertEquals(dir.resolve("spool"), cf.getPath("test_path"));
        assertEquals(relative.resolve("main.cf"), cf.file());
    }

    @Test
    void overridesCarryTheirLocation() throws IOException {
        MainCf cf = load("test_boolean = yes\n");
        ConfigurationSettings o = cf.withOverrides(Map.of("test_boolean", "$myorigin"), Map.of("test_boolean", "master.cf:7"));
        assertEquals("master.cf:7: test_boolean: expected yes or no: \"" + cf.get("myorigin") + "\"",
            assertThrows(ConfigException.class, () -> o.getBoolean("test_boolean")).getMessage());
        assertTrue(cf.getBoolean("test_boolean"), "the base settings are unchanged");
    }

    @Test
    void settingsOfKeepsItsSemantics() {
        Settings s = Settings.of(Map.of("myhostname", "mail.example.test", "test_boolean", "on"), Path.of("/etc/x"));
        assertEquals("mail.example.test", s.get("myorigin"));
        assertTrue(s.isExplicit("myhostname"));
        assertFalse(s.isExplicit("myorigin"));
        assertTrue(s.getBoolean("test_boolean"));
        assertEquals(Path.of("/etc/x/data"), s.getPath("test_path"));
        Settings o = s.withOverrides(Map.of("myorigin", "other.test"));
        assertEquals("other.test", o.get("myorigin"));
        assertTrue(o.isExplicit("myorigin"));
        assertEquals("mail.example.test", o.get("myhostname"));
        assertEquals("test_integer: not a number: \"x\"",
            assertThrows(ConfigException.class, () -> Settings.of(Map.of("test_integer", "x")).getInt("test_integer")).getMessage());
        assertEquals("", Settings.of(Map.of("a", "$undefined_thing")).get("a"));
    }

    @Test
    void computedHostnameDefaultIsAFullyQualifiedName() {
        Settings s = Settings.of(Map.of());
        String host = s.get("myhostname");
        assertTrue(host.indexOf('.') > 0, host);
        assertEquals(host.substring(host.indexOf('.') + 1), s.get("mydomain"));
        assertEquals("localdomain", Settings.of(Map.of("myhostname", "single")).get("mydomain"));
    }

    @Test
    void everyDeclaredDefaultParsesByItsType() {
        ConfigurationSettings s = (ConfigurationSettings) Settings.of(Map.of());
        assertEquals(List.of(), s.validate(List.copyOf(ParameterRegistry.all().keySet())));
    }
}
