package org.mailserver.storage.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PackedCacheTest {

    private static byte[] value(long uid, String key, int len) {
        byte[] v = new byte[len];
        for (int i = 0; i < len; i++) {
            v[i] = (byte) (uid * 31 + key.hashCode() + i);
        }
        return v;
    }

    @Test
    void laterValuesReplaceEarlierOnesAndRemoveDropsAUid() {
        PackedCache.Builder b = new PackedCache.Builder(2, 10);
        byte[] src = {9, 1, 2, 3, 9};
        b.put(1, "hdr", src, 1, 3);
        b.put(1, "struct", new byte[] {4}, 0, 1);
        b.put(2, "hdr", new byte[] {5, 6}, 0, 2);
        b.put(1, "hdr", new byte[] {7}, 0, 1);
        b.put(3, "hdr", new byte[0], 0, 0);
        b.remove(2);
        b.remove(99);
        src[1] = 0; // values are copies
        PackedCache c = b.build();
        assertEquals(3, c.size());
        assertArrayEquals(new byte[] {7}, c.get(1, "hdr"));
        assertArrayEquals(new byte[] {4}, c.get(1, "struct"));
        assertArrayEquals(new byte[0], c.get(3, "hdr"));
        assertNull(c.get(2, "hdr"), "removed");
        assertNull(c.get(3, "struct"));
        assertNull(c.get(4, "hdr"));
        assertNotSame(c.get(1, "hdr"), c.get(1, "hdr"), "each lookup is a copy");
        Map<String, byte[]> seen = new HashMap<>();
        c.forEach((uid, key, data, off, len) -> seen.put(uid + "/" + key, java.util.Arrays.copyOfRange(data, off, off + len)));
        assertEquals(3, seen.size());
        assertArrayEquals(new byte[] {7}, seen.get("1/hdr"));
    }

    @Test
    void aRemovedUidCanComeBack() {
        PackedCache.Builder b = new PackedCache.Builder(4, 100);
        b.put(5, "k", new byte[] {1}, 0, 1);
        b.remove(5);
        b.put(5, "k", new byte[] {2}, 0, 1);
        PackedCache c = b.build();
        assertEquals(1, c.size());
        assertArrayEquals(new byte[] {2}, c.get(5, "k"));
    }

    /** Many entries: the tables grow, values cross chunk boundaries, a huge value gets a chunk of its own. */
    @Test
    void manyEntriesAcrossChunksAndGrowth() {
        PackedCache.Builder b = new PackedCache.Builder(16, 1000);
        Random r = new Random(7);
        Map<String, byte[]> expect = new HashMap<>();
        for (long uid = 1; uid <= 20_000; uid++) {
            for (String key : new String[] {"hdr", "struct"}) {
                byte[] v = value(uid, key, r.nextInt(600));
                b.put(uid, key, v, 0, v.length);
                expect.put(uid + "/" + key, v);
            }
        }
        byte[] huge = value(7, "big", PackedCache.CHUNK + 10);
        b.put(7, "big", huge, 0, huge.length);
        expect.put("7/big", huge);
        for (long uid = 100; uid < 200; uid++) {
            b.remove(uid);
            expect.remove(uid + "/hdr");
            expect.remove(uid + "/struct");
        }
        PackedCache c = b.build();
        assertEquals(expect.size(), c.size());
        for (Map.Entry<String, byte[]> e : expect.entrySet()) {
            String[] p = e.getKey().split("/");
            assertArrayEquals(e.getValue(), c.get(Long.parseLong(p[0]), p[1]), e.getKey());
        }
        assertNull(c.get(150, "hdr"));
        int[] n = {0};
        c.forEach((uid, key, data, off, len) -> {
            assertArrayEquals(expect.get(uid + "/" + key), java.util.Arrays.copyOfRange(data, off, off + len));
            n[0]++;
        });
        assertEquals(expect.size(), n[0]);
    }

    @Test
    void forgetDropsAUidsEntriesAfterTheBuild() {
        PackedCache.Builder b = new PackedCache.Builder(2, 100);
        for (long uid = 1; uid <= 100; uid++) {
            b.put(uid, "hdr", new byte[] {(byte) uid}, 0, 1);
            b.put(uid, "struct", new byte[] {(byte) -uid}, 0, 1);
        }
        PackedCache c = b.build();
        c.forget(40);
        c.forget(40);
        c.forget(1000);
        assertEquals(198, c.size());
        assertNull(c.get(40, "hdr"));
        assertNull(c.get(40, "struct"));
        for (long uid = 1; uid <= 100; uid++) {
            if (uid != 40) {
                assertArrayEquals(new byte[] {(byte) uid}, c.get(uid, new String("hdr")), "keys compare by value too");
                assertArrayEquals(new byte[] {(byte) -uid}, c.get(uid, "struct"));
            }
        }
        int[] n = {0};
        c.forEach((uid, key, data, off, len) -> n[0]++);
        assertEquals(198, n[0]);
        new PackedCache.Builder(0, 0).build().forget(1);
    }

    @Test
    void anEmptyBuilderBuildsAnEmptyCache() {
        PackedCache c = new PackedCache.Builder(0, 0).build();
        assertEquals(0, c.size());
        assertNull(c.get(1, "hdr"));
    }
}
