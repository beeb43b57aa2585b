package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Uidlist} reads a whole file's records lazily: the next UID from a scan of the bytes, the maps on first
 * use. The scan must agree with the full parse on every line the parser accepts or skips.
 */
@Timeout(30)
class UidlistLazyTest {
    @TempDir
    Path dir;

    private Uidlist read(String content) throws Exception {
        Files.writeString(dir.resolve(Uidlist.FILE), content, StandardCharsets.UTF_8);
        Uidlist u = new Uidlist(dir, new FsyncPolicy(false));
        u.refresh();
        return u;
    }

    @Test
    void recordsAreParsedOnFirstUseAndTheNextUidIsKnownBefore() throws Exception {
        Uidlist u = read("3 V42 N3 Gabc\n1 :m1.host:2,S\n2 W100 :m2.host\n7 :m7.host:2,\n");
        assertTrue(u.hasPendingRecords());
        assertEquals(42, u.uidValidity());
        assertEquals(8, u.nextUid());
        assertTrue(u.hasPendingRecords(), "the next UID needs no parse");
        assertEquals(Long.valueOf(2), u.uidOf("m2.host"));
        assertFalse(u.hasPendingRecords());
        assertEquals(Map.of(1L, "m1.host", 2L, "m2.host", 7L, "m7.host"), new TreeMap<>(u.records()));
        assertEquals(8, u.nextUid());
    }

    /** Lines the parser skips do not count for the next UID; a torn last line waits for its end. */
    @Test
    void skippedLinesAndATornTailAgreeWithTheParser() throws Exception {
        String[] lines = {
            "9 nocolon", "10 :", "11 :dir/name", "12 ::2,S", "0 :zero", " 13 :lead", "14\t :tab", "15 :ok:2,S",
            "", "16", "17 :é-utf8"};
        Uidlist u = read("3 V1 N1\n" + String.join("\n", lines) + "\n99 :torn");
        long lazyNext = u.nextUid();
        u.records();
        assertEquals(u.nextUid(), lazyNext);
        assertEquals(18, lazyNext);
        assertNull(u.uidOf("torn"));
        assertEquals(Map.of(14L, "tab", 15L, "ok", 17L, "é-utf8"), filter(u.records(), 14));
        Files.writeString(dir.resolve(Uidlist.FILE), "\n", StandardOpenOption.APPEND);
        u.refresh(); // the torn line is complete now: appended lines follow the earlier ones
        assertEquals(Long.valueOf(99), u.uidOf("torn"));
        assertEquals(100, u.nextUid());
    }

    /** A UID that is not plain digits sends the whole file through the usual parser. */
    @Test
    void anOddUidFallsBackToTheFullParse() throws Exception {
        Uidlist u = read("3 V1 N1\n+5 :plus\n6 :six\n");
        assertFalse(u.hasPendingRecords());
        assertEquals(Long.valueOf(5), u.uidOf("plus"));
        assertEquals(7, u.nextUid());
    }

    @Test
    void versionOneFilesAreParsedAtOnce() throws Exception {
        Uidlist u = read("1 77 5\n3 old.host:2,S\n");
        assertFalse(u.hasPendingRecords());
        assertEquals(77, u.uidValidity());
        assertEquals(5, u.nextUid());
        assertEquals(List.of(3L), List.copyOf(u.records().keySet()));
    }

    private static Map<Long, String> filter(Map<Long, String> m, long from) {
        return new TreeMap<>(new TreeMap<>(m).tailMap(from));
    }
}
