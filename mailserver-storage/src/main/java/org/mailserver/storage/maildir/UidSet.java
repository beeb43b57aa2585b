package org.mailserver.storage.maildir;

import java.util.Arrays;

/**
 * A set of positive UIDs in one open-addressing array, add and contains only: {@link MaildirIndex#load} asks
 * for every cache record whether its message has a record, 20,000 times for a 10,000-message folder, which a
 * {@code TreeMap<Long, ...>} answered with a boxed key and a dozen pointer hops each. Not thread-safe.
 */
final class UidSet {
    private long[] table = new long[64];
    private int size;

    void add(long uid) {
        if (uid <= 0) {
            throw new IllegalArgumentException("UIDs are positive: " + uid);
        }
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        int mask = table.length - 1;
        for (int i = slot(uid, mask); ; i = (i + 1) & mask) {
            if (table[i] == uid) {
                return;
            }
            if (table[i] == 0) {
                table[i] = uid;
                size++;
                return;
            }
        }
    }

    boolean contains(long uid) {
        int mask = table.length - 1;
        for (int i = slot(uid, mask); ; i = (i + 1) & mask) {
            long v = table[i];
            if (v == uid) {
                return uid > 0;
            }
            if (v == 0) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private static int slot(long uid, int mask) {
        return (int) ((uid * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != 0) {
                add(v);
            }
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(Arrays.stream(table).filter(v -> v != 0).sorted().toArray());
    }
}
