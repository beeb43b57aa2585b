package org.mailserver.imap.mime;

import java.util.Arrays;

/**
 * The byte layout shared by the content cache entries ({@link HeaderSummary}, {@link StructureSummary}):
 * one magic byte, then byte strings each prefixed by its big-endian int32 length, nothing after. A value
 * that does not follow it exactly decodes to null, and the caller recomputes.
 */
final class CacheCodec {

    private CacheCodec() {
    }

    /**
     * Part {@code index} of a value of exactly {@code count} parts after {@code magic} (the whole layout is
     * checked, as {@link #decode} does), copying only that part: FETCH ENVELOPE of a whole mailbox needs the
     * first part of every header summary, not the cached header fields after it. Null when malformed.
     */
    static byte[] part(byte[] value, byte magic, int count, int index) {
        long range = partRange(value, magic, count, index);
        return range < 0 ? null : Arrays.copyOfRange(value, (int) (range >>> 32), (int) (range >>> 32) + (int) range);
    }

    /**
     * Where part {@code index} lies in {@code value}, checked as {@link #part} does, without copying it: its
     * offset in the high 32 bits and its length in the low 32 bits; -1 when the value is malformed.
     */
    static long partRange(byte[] value, byte magic, int count, int index) {
        return value == null ? -1 : partRange(value, 0, value.length, magic, count, index);
    }

    /**
     * {@link #partRange} of a value that lies in {@code data[offset, offset + size)} (a slice of a larger array);
     * the offset returned is in {@code data}.
     */
    static long partRange(byte[] data, int offset, int size, byte magic, int count, int index) {
        if (data == null || size < 1 || data[offset] != magic) {
            return -1;
        }
        int end = offset + size;
        int at = offset + 1;
        int from = -1;
        int length = 0;
        byte[] value = data;
        for (int i = 0; i < count; i++) {
            if (end - at < 4) {
                return -1;
            }
            int n = (value[at] & 0xff) << 24 | (value[at + 1] & 0xff) << 16 | (value[at + 2] & 0xff) << 8
                | (value[at + 3] & 0xff);
            at += 4;
            if (n < 0 || n > end - at) {
                return -1;
            }
            if (i == index) {
                from = at;
                length = n;
            }
            at += n;
        }
        return at == end && from >= 0 ? (long) from << 32 | length : -1;
    }

    static byte[] encode(byte magic, byte[]... parts) {
        int size = 1;
        for (byte[] p : parts) {
            size += 4 + p.length;
        }
        byte[] out = new byte[size];
        out[0] = magic;
        int at = 1;
        for (byte[] p : parts) {
            out[at] = (byte) (p.length >>> 24);
            out[at + 1] = (byte) (p.length >>> 16);
            out[at + 2] = (byte) (p.length >>> 8);
            out[at + 3] = (byte) p.length;
            System.arraycopy(p, 0, out, at + 4, p.length);
            at += 4 + p.length;
        }
        return out;
    }

    /**
     * The parts of a value, or null when it is not exactly {@code count} parts after {@code magic}. Reads the
     * array directly (no streams): FETCH ENVELOPE and header SEARCH decode one value per message.
     */
    static byte[][] decode(byte[] value, byte magic, int count) {
        if (value == null || value.length < 1 || value[0] != magic) {
            return null;
        }
        byte[][] parts = new byte[count][];
        int at = 1;
        for (int i = 0; i < count; i++) {
            if (value.length - at < 4) {
                return null;
            }
            int n = (value[at] & 0xff) << 24 | (value[at + 1] & 0xff) << 16 | (value[at + 2] & 0xff) << 8
                | (value[at + 3] & 0xff);
            at += 4;
            if (n < 0 || n > value.length - at) {
                return null;
            }
            parts[i] = Arrays.copyOfRange(value, at, at + n);
            at += n;
        }
        return at == value.length ? parts : null;
    }
}
