package org.mailserver.storage.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-message cache entries (UID and key to bytes) loaded in bulk, held without an object per entry: the
 * values are packed into a few chunks of at most {@link #CHUNK} bytes and found through a hash table of
 * primitive arrays. Built once by {@link MailboxState}'s owner when a mailbox is loaded from its on-disk
 * index (Maildir's {@code mailserver.index}), then read-only; entries written later live in
 * {@link MailboxState}'s ordinary map, which takes precedence.
 *
 * <p>Why: after a restart, the first SELECT of a 10,000-message folder loaded 20,000 cache values as
 * 20,000 arrays in 10,000 maps; the young collection that followed copied all of them (about 16 MB in
 * some 70,000 objects) while the client waited for its FETCH. Here they are a handful of 1 MiB arrays.
 *
 * <p>Lookups return copies (the caller may keep or change them). After {@link Builder#build} the only change
 * is {@link #forget}, which the owner calls for an expunged message under the same lock as its lookups
 * ({@link MailboxState}'s); the values themselves never change.
 */
public final class PackedCache {
    /** Chunk size; a value larger than this gets a chunk of its own. */
    static final int CHUNK = 1 << 20;

    private final byte[][] chunks;
    private final String[] keyNames;
    /** Per entry: UID, key index, chunk, offset, length, next entry of the same hash slot (-1 ends). */
    private final long[] uids;
    private final int[] keys;
    private final int[] chunkOf;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] next;
    /** Hash slot to its first entry, -1 when empty; length a power of two. */
    private final int[] slots;
    private int size;

    private PackedCache(Builder b) {
        this.chunks = b.chunks.toArray(new byte[0][]);
        this.keyNames = b.keyNames.toArray(new String[0]);
        this.uids = b.uids;
        this.keys = b.keys;
        this.chunkOf = b.chunkOf;
        this.offsets = b.offsets;
        this.lengths = b.lengths;
        this.next = b.next;
        this.slots = b.slots;
        this.size = b.live;
    }

    /** How many (UID, key) entries are held, expunged ones included. */
    public int size() {
        return size;
    }

    /** A copy of the value, or null when there is none. */
    public byte[] get(long uid, String key) {
        int e = find(slots, next, uids, keys, keyNames, uid, key);
        if (e < 0) {
            return null;
        }
        byte[] chunk = chunks[chunkOf[e]];
        return Arrays.copyOfRange(chunk, offsets[e], offsets[e] + lengths[e]);
    }

    /** Where a value lies: a range of a chunk, which must be read only. */
    public record Slice(byte[] data, int offset, int length) {
    }

    /** The value in place (no copy), or null when there is none. */
    public Slice slice(long uid, String key) {
        int e = find(slots, next, uids, keys, keyNames, uid, key);
        return e < 0 ? null : new Slice(chunks[chunkOf[e]], offsets[e], lengths[e]);
    }

    /** Drops every entry of this UID (expunged); its bytes stay in their chunk. */
    public void forget(long uid) {
        if (slots.length == 0) {
            return;
        }
        int s = slot(uid, slots.length - 1);
        int prev = -1;
        for (int e = slots[s]; e >= 0; e = next[e]) {
            if (uids[e] == uid) {
                lengths[e] = -1; // keeps forEach from writing it
                if (prev < 0) {
                    slots[s] = next[e];
                } else {
                    next[prev] = next[e];
                }
                size--;
            } else {
                prev = e;
            }
        }
    }

    /** Receives every entry (for writing a snapshot); the array is shared, read [offset, offset + length) only. */
    public interface EntryVisitor {
        void visit(long uid, String key, byte[] data, int offset, int length);
    }

    /** Visits every live entry, in no particular order. */
    public void forEach(EntryVisitor v) {
        for (int e = 0; e < uids.length && e < next.length; e++) {
            if (lengths[e] >= 0) {
                v.visit(uids[e], keyNames[keys[e]], chunks[chunkOf[e]], offsets[e], lengths[e]);
            }
        }
    }

    private static int slot(long uid, int mask) {
        long h = uid * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private static int find(int[] slots, int[] next, long[] uids, int[] keys, String[] keyNames, long uid, String key) {
        if (slots.length == 0) {
            return -1;
        }
        for (int e = slots[slot(uid, slots.length - 1)]; e >= 0; e = next[e]) {
            if (uids[e] == uid) {
                String k = keyNames[keys[e]];
                if (k == key || k.equals(key)) {
                    return e;
                }
            }
        }
        return -1;
    }

    /**
     * Collects entries in file order: a later value for the same UID and key replaces the earlier one, and
     * {@link #remove} drops a UID's entries (an expunge record). Not thread-safe.
     */
    public static final class Builder {
        private final List<byte[]> chunks = new ArrayList<>();
        private final List<String> keyNames = new ArrayList<>();
        private byte[] current;
        /** Index of {@link #current} in {@link #chunks} (values of their own chunk may follow it). */
        private int currentIndex;
        private int used;
        private long[] uids;
        private int[] keys;
        private int[] chunkOf;
        private int[] offsets;
        private int[] lengths;
        private int[] next;
        private int[] slots;
        private int count;
        private int live;

        /** {@code expectedEntries} sizes the tables (they grow past it); {@code expectedBytes} the first chunk. */
        public Builder(int expectedEntries, long expectedBytes) {
            int n = Math.max(16, expectedEntries);
            uids = new long[n];
            keys = new int[n];
            chunkOf = new int[n];
            offsets = new int[n];
            lengths = new int[n];
            next = new int[n];
            slots = newSlots(n);
            current = new byte[(int) Math.max(1024, Math.min(CHUNK, expectedBytes))];
            chunks.add(current);
        }

        private static int[] newSlots(int entries) {
            int n = Integer.highestOneBit(Math.max(16, entries * 2 - 1) ) << 1;
            int[] s = new int[n];
            Arrays.fill(s, -1);
            return s;
        }

        /** Adds (or replaces) the value {@code src[from, from + length)} of this UID and key. */
        public void put(long uid, String key, byte[] src, int from, int length) {
            int chunk;
            int at;
            if (length > CHUNK) {
                chunks.add(Arrays.copyOfRange(src, from, from + length));
                chunk = chunks.size() - 1;
                at = 0;
            } else {
                if (current.length - used < length) {
                    if (current.length < CHUNK && used + length <= CHUNK) {
                        current = Arrays.copyOf(current, Math.min(CHUNK, Math.max(current.length * 2, used + length)));
                        chunks.set(currentIndex, current);
                    } else {
                        current = new byte[CHUNK];
                        chunks.add(current);
                        currentIndex = chunks.size() - 1;
                        used = 0;
                    }
                }
                chunk = currentIndex;
                at = used;
                System.arraycopy(src, from, current, at, length);
                used += length;
            }
            int k = keyIndex(key);
            int e = find(slots, next, uids, keys, keyNamesArray(), uid, keyNames.get(k));
            if (e < 0) {
                if (count == uids.length) {
                    grow();
                }
                e = count++;
                uids[e] = uid;
                keys[e] = k;
                int s = slot(uid, slots.length - 1);
                next[e] = slots[s];
                slots[s] = e;
                live++;
            } else if (lengths[e] < 0) {
                live++;
            }
            chunkOf[e] = chunk;
            offsets[e] = at;
            lengths[e] = length;
        }

        /** Drops every entry of this UID (its bytes stay in the chunks until the cache is rebuilt). */
        public void remove(long uid) {
            if (count == 0) {
                return;
            }
            for (int e = slots[slot(uid, slots.length - 1)]; e >= 0; e = next[e]) {
                if (uids[e] == uid && lengths[e] >= 0) {
                    lengths[e] = -1;
                    live--;
                }
            }
        }

        public int size() {
            return live;
        }

        /** The cache; the builder must not be used afterwards. */
        public PackedCache build() {
            uids = Arrays.copyOf(uids, count);
            keys = Arrays.copyOf(keys, count);
            chunkOf = Arrays.copyOf(chunkOf, count);
            offsets = Arrays.copyOf(offsets, count);
            lengths = Arrays.copyOf(lengths, count);
            next = Arrays.copyOf(next, count);
            if (current.length > used * 2L && current.length > 4096) {
                chunks.set(currentIndex, Arrays.copyOf(current, used)); // a mostly empty last chunk
            }
            for (int e = 0; e < count; e++) {
                if (lengths[e] < 0) {
                    unlink(e);
                }
            }
            return new PackedCache(this);
        }

        private void unlink(int dead) {
            int s = slot(uids[dead], slots.length - 1);
            if (slots[s] == dead) {
                slots[s] = next[dead];
                return;
            }
            for (int e = slots[s]; e >= 0; e = next[e]) {
                if (next[e] == dead) {
                    next[e] = next[dead];
                    return;
                }
            }
        }

        private String[] keyNamesArray() {
            return keyNameCache != null && keyNameCache.length == keyNames.size() ? keyNameCache
                : (keyNameCache = keyNames.toArray(new String[0]));
        }

        private String[] keyNameCache;

        private int keyIndex(String key) {
            for (int i = 0; i < keyNames.size(); i++) {
                String k = keyNames.get(i);
                if (k == key || k.equals(key)) {
                    return i;
                }
            }
            keyNames.add(key.intern()); // a caller's constant key then matches by identity
            return keyNames.size() - 1;
        }

        private void grow() {
            int n = uids.length * 2;
            uids = Arrays.copyOf(uids, n);
            keys = Arrays.copyOf(keys, n);
            chunkOf = Arrays.copyOf(chunkOf, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            next = Arrays.copyOf(next, n);
            int[] fresh = newSlots(n);
            for (int e = 0; e < count; e++) {
                int s = slot(uids[e], fresh.length - 1);
                next[e] = fresh[s];
                fresh[s] = e;
            }
            slots = fresh;
        }
    }
}
