package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;

/**
 * {@link MaildirIndex}'s file format through its own writer and loader: every record kind survives a
 * write and a load field for field (flags, keywords and file names with non-ASCII characters, cache
 * entries, expunges, state, stamps), later records override earlier ones, and a torn tail is dropped.
 */
@Timeout(20)
class MaildirIndexCodecTest {
    @TempDir
    Path dir;

    private static MessageMeta meta(long uid, Set<Flag> flags, Set<String> keywords, long modSeq) {
        return new MessageMeta(uid, flags, keywords, 1000 + uid, Instant.ofEpochSecond(1_700_000_000L + uid), modSeq);
    }

    @Test
    void everyRecordKindRoundTrips() {
        MaildirIndex index = new MaildirIndex(dir, new FsyncPolicy(false));
        MaildirIndex.Snapshot s = new MaildirIndex.Snapshot();
        s.uidValidity = 77;
        s.highestModSeq = 40;
        s.recentClaimed = 3;
        s.expungeFloor = 2;
        Set<String> keywords = new LinkedHashSet<>(List.of("$Junk", "Ünïcode", "nul\u0000in"));
        s.entries.put(1L, new MaildirIndex.Entry(meta(1, EnumSet.noneOf(Flag.class), Set.of(), 5), "new/a1"));
        s.entries.put(2L, new MaildirIndex.Entry(meta(2, EnumSet.of(Flag.SEEN, Flag.FLAGGED), keywords, 6), "cur/b2:2,FS"));
        s.entries.put(3L, new MaildirIndex.Entry(meta(3, EnumSet.allOf(Flag.class), Set.of("x"), 7), "cur/ç3:2,DFRST"));
        s.expungeLog.put(9L, List.of(4L, 5L));
        s.cache.put(2L, Map.of("envelope", new byte[] {1, 2, 3}, "hdr.tb", new byte[0]));
        s.cache.put(3L, Map.of("envelope", "é".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        index.rewrite(s);
        index.putStamps(new MaildirIndex.Stamps(11, 12, 13, "(dev=1,ino=2)"));
        index.putMessages(List.of(meta(1, EnumSet.of(Flag.ANSWERED), Set.of("later"), 41)), Map.of(1L, "cur/a1:2,R"));
        index.putCache(3L, "envelope", new byte[] {9});
        index.putState(41, 3, 2);
        index.close();

        MaildirIndex.Snapshot l = new MaildirIndex(dir, new FsyncPolicy(false)).load(77);
        assertNotNull(l);
        assertEquals(41, l.highestModSeq);
        assertEquals(3, l.recentClaimed);
        assertEquals(2, l.expungeFloor);
        assertEquals(new MaildirIndex.Stamps(11, 12, 13, "(dev=1,ino=2)"), l.stamps);
        assertEquals(List.of(4L, 5L), l.expungeLog.get(9L));
        assertEquals(meta(1, EnumSet.of(Flag.ANSWERED), Set.of("later"), 41), l.entries.get(1L).meta(), "the later record wins");
        assertEquals("cur/a1:2,R", l.entries.get(1L).file());
        assertEquals(meta(2, EnumSet.of(Flag.SEEN, Flag.FLAGGED), keywords, 6), l.entries.get(2L).meta());
        assertEquals(List.copyOf(keywords), List.copyOf(l.entries.get(2L).meta().keywords()), "keyword order kept");
        assertEquals("cur/b2:2,FS", l.entries.get(2L).file());
        assertEquals(meta(3, EnumSet.allOf(Flag.class), Set.of("x"), 7), l.entries.get(3L).meta());
        assertEquals("cur/ç3:2,DFRST", l.entries.get(3L).file());
        assertArrayEquals(new byte[] {1, 2, 3}, l.cached(2L, "envelope"));
        assertArrayEquals(new byte[0], l.cached(2L, "hdr.tb"));
        assertArrayEquals(new byte[] {9}, l.cached(3L, "envelope"), "the later cache entry wins");
        java.util.List<String> keys = new java.util.ArrayList<>();
        l.packed.forEach((uid, key, data, off, len) -> {
            if (key.equals("envelope")) {
                keys.add(key);
            }
        });
        assertEquals(2, keys.size());
        assertSame(keys.get(0), keys.get(1), "one String per distinct cache key");
        assertThrows(UnsupportedOperationException.class, () -> l.entries.get(2L).meta().flags().add(Flag.DELETED),
            "shared flag sets cannot be changed through one message");
        assertEquals(EnumSet.of(Flag.SEEN, Flag.FLAGGED), l.entries.get(2L).meta().flags());
        assertNull(new MaildirIndex(dir, new FsyncPolicy(false)).load(78), "another UIDVALIDITY is not ours");
    }

    /** A cache record counts only for a message that has a record at that point of the log. */
    @Test
    void cacheRecordsOfExpungedOrUnknownMessagesAreDropped() {
        MaildirIndex index = new MaildirIndex(dir, new FsyncPolicy(false));
        MaildirIndex.Snapshot s = new MaildirIndex.Snapshot();
        s.uidValidity = 8;
        s.entries.put(1L, new MaildirIndex.Entry(meta(1, EnumSet.noneOf(Flag.class), Set.of(), 2), "new/a"));
        s.entries.put(2L, new MaildirIndex.Entry(meta(2, EnumSet.noneOf(Flag.class), Set.of(), 2), "new/b"));
        s.cache.put(2L, Map.of("envelope", new byte[] {2}));
        index.rewrite(s);
        index.putExpunge(List.of(2L), 3);
        index.putCache(2L, "envelope", new byte[] {22}); // after the expunge: ignored
        index.putCache(5L, "envelope", new byte[] {5}); // no such message
        index.putCache(1L, "envelope", new byte[] {1});
        index.close();
        MaildirIndex.Snapshot l = new MaildirIndex(dir, new FsyncPolicy(false)).load(8);
        assertArrayEquals(new byte[] {1}, l.cached(1L, "envelope"));
        assertNull(l.cached(2L, "envelope"));
        assertNull(l.cached(5L, "envelope"));
        assertEquals(1, l.packed.size());
    }

    /** The loader reads through a 1 MiB window: records across its edges and one larger than it. */
    @Test
    void aFileLargerThanTheReadWindowLoadsWhole() {
        MaildirIndex index = new MaildirIndex(dir, new FsyncPolicy(false));
        MaildirIndex.Snapshot s = new MaildirIndex.Snapshot();
        s.uidValidity = 9;
        for (long uid = 1; uid <= 3000; uid++) {
            s.entries.put(uid, new MaildirIndex.Entry(meta(uid, EnumSet.of(Flag.SEEN), Set.of(), uid), "cur/m" + uid + ":2,S"));
            byte[] v = new byte[700 + (int) (uid % 13)];
            java.util.Arrays.fill(v, (byte) uid);
            s.cache.put(uid, Map.of("envelope", v));
        }
        byte[] big = new byte[1_500_000];
        new java.util.Random(1).nextBytes(big);
        s.cache.put(1500L, Map.of("envelope", big));
        index.rewrite(s);
        assertTrue(Files.exists(dir.resolve(MaildirIndex.FILE)));

        MaildirIndex.Snapshot l = new MaildirIndex(dir, new FsyncPolicy(false)).load(9);
        assertNotNull(l);
        assertEquals(3000, l.entries.size());
        assertEquals(3000, l.packed.size());
        for (long uid = 1; uid <= 3000; uid++) {
            assertEquals("cur/m" + uid + ":2,S", l.entries.get(uid).file());
            if (uid != 1500) {
                byte[] v = l.cached(uid, "envelope");
                assertEquals(700 + (int) (uid % 13), v.length);
                assertEquals((byte) uid, v[v.length - 1]);
            }
        }
        assertArrayEquals(big, l.cached(1500L, "envelope"));
    }

    @Test
    void aTornOrCorruptTailIsDroppedAndTruncated() throws Exception {
        MaildirIndex index = new MaildirIndex(dir, new FsyncPolicy(false));
        MaildirIndex.Snapshot s = new MaildirIndex.Snapshot();
        s.uidValidity = 5;
        s.entries.put(1L, new MaildirIndex.Entry(meta(1, EnumSet.of(Flag.SEEN), Set.of(), 1), "cur/a:2,S"));
        index.rewrite(s);
        long good = Files.size(dir.resolve(MaildirIndex.FILE));
        index.putMessages(List.of(meta(2, EnumSet.noneOf(Flag.class), Set.of(), 2)), Map.of(2L, "new/b"));
        index.close();
        byte[] data = Files.readAllBytes(dir.resolve(MaildirIndex.FILE));
        // Flip a payload byte of the last record: its CRC no longer matches.
        data[data.length - 6] ^= 0x55;
        Files.write(dir.resolve(MaildirIndex.FILE), data);

        MaildirIndex.Snapshot l = new MaildirIndex(dir, new FsyncPolicy(false)).load(5);
        assertNotNull(l);
        assertTrue(l.entries.containsKey(1L));
        assertFalse(l.entries.containsKey(2L), "the corrupt record is not applied");
        assertEquals(good, Files.size(dir.resolve(MaildirIndex.FILE)), "truncated at the last good record");
    }

    @Test
    void aRecordShorterThanItsFieldsEndsTheLog() throws Exception {
        MaildirIndex index = new MaildirIndex(dir, new FsyncPolicy(false));
        MaildirIndex.Snapshot s = new MaildirIndex.Snapshot();
        s.uidValidity = 5;
        index.rewrite(s);
        long good = Files.size(dir.resolve(MaildirIndex.FILE));
        // A 'C' record whose value length claims more bytes than the record has, with a valid CRC.
        byte[] payload = {0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'k', 0x7f, 0, 0, 0};
        java.io.ByteArrayOutputStream rec = new java.io.ByteArrayOutputStream();
        rec.write('C');
        rec.write(java.nio.ByteBuffer.allocate(4).putInt(payload.length).array());
        rec.write(payload);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(rec.toByteArray());
        rec.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        Files.write(dir.resolve(MaildirIndex.FILE), rec.toByteArray(), java.nio.file.StandardOpenOption.APPEND);

        MaildirIndex.Snapshot l = new MaildirIndex(dir, new FsyncPolicy(false)).load(5);
        assertNotNull(l);
        assertTrue(l.cache.isEmpty() && l.packed == null);
        assertEquals(good, Files.size(dir.resolve(MaildirIndex.FILE)));
    }
}
