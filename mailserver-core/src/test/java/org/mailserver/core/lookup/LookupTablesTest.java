package org.mailserver.core.lookup;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

@Timeout(10)
class LookupTablesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** Rewrites a file and moves its time forward, so the change is seen whatever the clock resolution. */
    private void rewrite(Path f, String text) throws IOException {
        FileTime before = Files.getLastModifiedTime(f);
        Files.writeString(f, text);
        Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 2000));
    }

    private LookupTable open(String spec) {
        return LookupTables.open(spec, dir, Duration.ZERO);
    }

    private String error(String spec) {
        return assertThrows(ConfigException.class, () -> open(spec)).getMessage();
    }

    @Test
    void texthashReadsTheTwoColumnFileWithCaseInsensitiveKeys() throws Exception {
        write("virtual", """
            # aliases
            Info@Example.TEST   alice@example.test

            postmaster@example.test  alice@example.test,
                bob@example.test
            info@example.test   duplicate-is-ignored@example.test
            @example.org        catchall@example.test
            """);
        for (String type : List.of("texthash", "hash", "lmdb")) {
            LookupTable t = open(type + ":virtual");
            assertEquals(Optional.of("alice@example.test"), t.lookup("info@example.test"));
            assertEquals(Optional.of("alice@example.test"), t.lookup("INFO@example.test"));
            assertEquals(Optional.of("alice@example.test, bob@example.test"), t.lookup("postmaster@example.test"));
            assertEquals(Optional.of("catchall@example.test"), t.lookup("@example.org"));
            assertEquals(Optional.empty(), t.lookup("nobody@example.test"));
            assertEquals(type + ":virtual", t.spec());
        }
    }

    @Test
    void badTextTableNamesFileAndLine() throws IOException {
        write("bad", "ok value\n\n# comment\nlonely\n");
        assertEquals(dir.resolve("bad") + ":4: expected format: key whitespace value", error("hash:bad"));
        assertEquals(dir.resolve("absent") + ": file not found", error("texthash:" + dir.resolve("absent")));
        write("indented", "  starts indented\n");
        assertEquals(dir.resolve("indented") + ":1: a line that starts with white space continues a previous line, but there is none",
            error("hash:indented"));
    }

    @Test
    void fileTablesReloadAfterChangeAndFailWhileBroken() throws Exception {
        Path f = write("map", "a 1\n");
        LookupTable t = open("hash:map");
        assertEquals(Optional.of("1"), t.lookup("a"));
        rewrite(f, "a 2\nb 3\n");
        assertEquals(Optional.of("2"), t.lookup("a"));
        assertEquals(Optional.of("3"), t.lookup("b"));
        rewrite(f, "a 2\nbroken\n");
        assertEquals(f + ":2: expected format: key whitespace value",
            assertThrows(LookupException.class, () -> t.lookup("a")).getMessage());
        rewrite(f, "a 4\n");
        assertEquals(Optional.of("4"), t.lookup("a"));
        Files.delete(f);
        assertEquals(f + ": file not found", assertThrows(LookupException.class, () -> t.lookup("a")).getMessage());

        Path r = write("re", "/^a$/ one\n");
        LookupTable rt = open("regexp:re");
        assertEquals(Optional.of("one"), rt.lookup("a"));
        rewrite(r, "/^a$/ two\n");
        assertEquals(Optional.of("two"), rt.lookup("a"));
    }

    @Test
    void fileIsCheckedAtMostOncePerInterval() throws Exception {
        Path f = write("slow", "a 1\n");
        LookupTable t = LookupTables.open("hash:slow", dir, Duration.ofHours(1));
        rewrite(f, "a 2\n");
        assertEquals(Optional.of("1"), t.lookup("a"), "no stat before the interval has passed");
    }

    @Test
    void regexpTableFollowsRegexpTable5() throws Exception {
        write("re", """
            # first match wins
            /^(.*)-bounces@lists\\.example\\.test$/   $1-owner@example.test
            /^postmaster@/                           admin@example.test
            /^Exact@/i                               case-sensitive@example.test
            if /@example\\.org$/
            !/^info@/                                not-info@example.org
            endif
            /^price@(.*)$/                           $$5 at ${1}
            |a/b|                                    slash-in-pattern
            """);
        LookupTable t = open("regexp:re");
        assertEquals(Optional.of("dev-owner@example.test"), t.lookup("dev-bounces@lists.example.test"));
        assertEquals(Optional.of("admin@example.test"), t.lookup("POSTMASTER@x.test"), "case-insensitive by default");
        assertEquals(Optional.of("case-sensitive@example.test"), t.lookup("Exact@x.test"));
        assertEquals(Optional.empty(), t.lookup("exact@x.test"), "the i flag toggles case-insensitivity off");
        assertEquals(Optional.of("not-info@example.org"), t.lookup("sales@example.org"));
        assertEquals(Optional.empty(), t.lookup("info@example.org"));
        assertEquals(Optional.of("$5 at here"), t.lookup("price@here"));
        assertEquals(Optional.of("slash-in-pattern"), t.lookup("xa/by"), "unanchored search, any delimiter");
        assertEquals(Optional.empty(), t.lookup("someone@example.net"));
    }

    @Test
    void pcreTableAcceptsItsFlags() throws Exception {
        write("pcre", "/^ a  b $/x   spaced\n/^c.d$/s   dotall\n");
        LookupTable t = open("pcre:pcre");
        assertEquals(Optional.of("spaced"), t.lookup("AB"));
        assertEquals(Optional.of("dotall"), t.lookup("c\nd"));
        Path f = write("re", "/a.b/s x\n");
        assertEquals(f + ":1: unknown regexp flag 's' (pcre: only)", error("regexp:re"));
    }

    @Test
    void badRegexpTablesNameFileAndLine() throws IOException {
        Path f = write("re", "/abc/ ok\n/unclosed result\n");
        assertEquals(f + ":2: missing '/' in \"/unclosed result\"".replace("missing '/'", "missing closing '/'"),
            error("regexp:re"));
        write("re", "/abc/\n");
        assertEquals(f + ":1: no replacement text after pattern", error("regexp:re"));
        write("re", "/(a)/ $2\n");
        assertEquals(f + ":1: $2 in \"$2\" but the pattern has only 1 group", error("regexp:re"));
        write("re", "!/(a)/ $1\n");
        assertEquals(f + ":1: $1 in \"$1\" but the pattern has no groups (or is negated)", error("regexp:re"));
        write("re", "/a/q x\n");
        assertEquals(f + ":1: unknown regexp flag 'q'", error("regexp:re"));
        write("re", "/a(/ x\n");
        assertEquals(f + ":1: bad pattern /a(/: Unclosed group", error("regexp:re"));
        write("re", "/a/ x\nendif\n");
        assertEquals(f + ":2: endif without if", error("regexp:re"));
        write("re", "/a/ x\nif /b/\n/c/ d\n");
        assertEquals(f + ":2: if without endif", error("regexp:re"));
        write("re", "abc def\n");
        assertEquals(f + ":1: expected /pattern/ at \"abc def\"", error("regexp:re"));
    }

    @Test
    void staticAndInlineTables() throws Exception {
        assertEquals(Optional.of("x@example.test"), open("static:x@example.test").lookup("anything"));
        assertEquals(Optional.of("y"), open("proxy:static:y").lookup("anything"), "proxy: is transparent");
        assertEquals(Optional.of("two words"), open("static:{ two words }").lookup("anything"));
        LookupTable inline = open("inline:{ A@x=b@y, { c@x = d@y e@y } }");
        assertEquals(Optional.of("b@y"), inline.lookup("a@X"));
        assertEquals(Optional.of("d@y e@y"), inline.lookup("c@x"));
        assertEquals(Optional.empty(), inline.lookup("z@x"));
        assertEquals("inline:{ a }: expected key=value: \"a\"", error("inline:{ a }"));
        assertEquals("inline:a=b: expected inline:{ key=value, ... }", error("inline:a=b"));
    }

    @Test
    void unknownTypesAndBadSpecs() {
        assertEquals("unsupported lookup table type \"mysql\" in \"mysql:/etc/x.cf\" (use texthash, hash, regexp, pcre,"
            + " static or inline)", error("mysql:/etc/x.cf"));
        assertEquals("bad lookup table \"virtual\": expected type:name", error("virtual"));
        assertEquals("bad lookup table \"hash:\": missing file name", error("hash:"));
    }

    @Test
    void listsAreSearchedInOrderAndStopAtAFailure() throws Exception {
        Path a = write("a", "x@t first\n");
        write("b", "x@t second\ny@t second\n");
        LookupTable list = LookupTables.openList(List.of("hash:a", "hash:b", "static:fallback"), dir, Duration.ZERO);
        assertEquals(Optional.of("first"), list.lookup("x@t"));
        assertEquals(Optional.of("second"), list.lookup("y@t"));
        assertEquals(Optional.of("fallback"), list.lookup("z@t"));
        assertEquals("hash:a, hash:b, static:fallback", list.spec());
        Files.delete(a);
        assertThrows(LookupException.class, () -> list.lookup("y@t"), "a failing table is not skipped");
        assertEquals(Optional.empty(), LookupTables.openList(List.of(), dir).lookup("x"));
    }

    @Test
    void fromSettingsOpensTheParametersTables() throws Exception {
        write("virtual", "a@example.test b@example.test\n");
        Settings s = Settings.of(Map.of("virtual_alias_maps", "hash:virtual, inline:{ c@example.test=d@example.test }"), dir);
        LookupTable t = LookupTables.fromSettings(s, "virtual_alias_maps");
        assertEquals(Optional.of("b@example.test"), t.lookup("a@example.test"));
        assertEquals(Optional.of("d@example.test"), t.lookup("c@example.test"));
        Settings bad = Settings.of(Map.of("alias_maps", "hash:nothing"), dir);
        assertEquals("alias_maps: " + dir.resolve("nothing") + ": file not found",
            assertThrows(ConfigException.class, () -> LookupTables.fromSettings(bad, "alias_maps")).getMessage());
    }

    @Test
    void forParameterNamesTheParameterAndKeyWhenATableFails() throws Exception {
        Path f = write("transport", "a.test smtp:[127.0.0.1]\n");
        LookupTable t = LookupTables.forParameter("transport_maps", "hash:transport", dir);
        assertEquals(Optional.of("smtp:[127.0.0.1]"), t.lookup("a.test"));
        Files.delete(f);
        // The file is checked at most once per DEFAULT_CHECK_INTERVAL: poll until the deletion is seen.
        LookupException failure = null;
        for (long end = System.nanoTime() + 5_000_000_000L; failure == null && System.nanoTime() < end; ) {
            try {
                t.lookup("a.test");
                Thread.sleep(50);
            } catch (LookupException e) {
                failure = e;
            }
        }
        assertNotNull(failure, "a vanished table fails the lookup");
        assertEquals("transport_maps lookup of \"a.test\" failed: " + f + ": file not found", failure.getMessage());
        assertEquals(Optional.empty(), LookupTables.forParameter("transport_maps", " ", dir).lookup("x"));
        assertEquals("transport_maps: " + dir.resolve("nothing") + ": file not found",
            assertThrows(ConfigException.class, () -> LookupTables.forParameter("transport_maps", "hash:nothing", dir)).getMessage());
    }
}
