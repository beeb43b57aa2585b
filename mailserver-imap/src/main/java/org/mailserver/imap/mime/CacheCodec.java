package org.mailserver.imap.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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

    static byte[][] decode(byte[] value, byte magic, int count) {
        if (value == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (value.length < 1 || in.readByte() != magic) {
                return null;
            }
            byte[][] parts = new byte[count][];
            for (int i = 0; i < count; i++) {
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    return null;
                }
                parts[i] = in.readNBytes(n);
            }
            return in.available() == 0 ? parts : null;
        } catch (IOException e) {
            return null;
        }
    }
}
