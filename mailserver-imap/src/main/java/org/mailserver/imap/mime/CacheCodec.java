package org.mailserver.imap.mime;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The byte layout shared by the content cache entries ({@link HeaderSummary}, {@link StructureSummary}):
 * one magic byte, then byte strings each prefixed by its big-endian int32 length, nothing after. A value
 * that does not follow it exactly decodes to null, and the caller recomputes.
 */
final class CacheCodec {

    private CacheCodec() {
    }

    static byte[] encode(byte magic, byte[]... parts) {
        int size = 1;
        for (byte[] p : parts) {
            size += 4 + p.length;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(magic);
            for (byte[] p : parts) {
                out.writeInt(p.length);
                out.write(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    /** Part {@code index} of a value of {@code count} parts, without copying the others; null when malformed. */
    static byte[] part(byte[] value, byte magic, int count, int index) {
        byte[][] parts = decode(value, magic, count, index);
        return parts == null ? null : parts[index];
    }

    /** Splits a value into its parts with plain array copies (this runs once per message of FETCH 1:* ENVELOPE). */
    static byte[][] decode(byte[] value, byte magic, int count) {
        return decode(value, magic, count, -1);
    }

    /** Checks the whole layout; copies every part, or only part {@code only} when it is not -1. */
    private static byte[][] decode(byte[] value, byte magic, int count, int only) {
        if (value == null || value.length < 1 || value[0] != magic) {
            return null;
        }
        byte[][] parts = new byte[count][];
        int pos = 1;
        for (int i = 0; i < count; i++) {
            if (value.length - pos < 4) {
                return null;
            }
            int n = (value[pos] & 0xff) << 24 | (value[pos + 1] & 0xff) << 16 | (value[pos + 2] & 0xff) << 8 | (value[pos + 3] & 0xff);
            pos += 4;
            if (n < 0 || n > value.length - pos) {
                return null;
            }
            if (only < 0 || only == i) {
                parts[i] = java.util.Arrays.copyOfRange(value, pos, pos + n);
            }
            pos += n;
        }
        return pos == value.length ? parts : null;
    }
}
