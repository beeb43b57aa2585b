package org.mailserver.storage.maildir;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads {@link MaildirIndex}'s file for {@link MaildirIndex#load}: a window of at most 1 MiB over the
 * file (moved forward and refilled as records are consumed, grown only for a record larger than it),
 * and the fields of one record's payload decoded in place: big-endian integers and
 * {@link DataOutputStream#writeUTF} strings, as {@link MaildirIndex} writes them. A field that would
 * run past its record is an {@link IOException}, which the loader treats like a CRC failure.
 *
 * <p>Why not one array of the whole file: a 10,000-message index with its cache is several MiB; one
 * array that size is allocated in the old generation and, in a JVM that has just started, costs a full
 * collection. Why not stream objects per record: after a restart this runs in a JVM that has not
 * compiled it yet, where every call counts. Values handed out (strings, cache values copied into a {@code PackedCache}) are copies, so
 * the window can move on. Not thread-safe; one load at a time, under the folder's lock.
 */
final class MaildirIndexReader {
    private static final int WINDOW = 1 << 20;
    private final FileChannel ch;
    private final long size;
    private byte[] buf;
    /** File offset of buf[0], and how many bytes of buf hold file data. */
    private long bufStart;
    private int bufLen;
    /** The record being decoded: buf offsets. */
    private int pos;
    private int end;
    /** Cache keys seen in this file (a handful of distinct ones), to share one String per key. */
    private final List<String> keys = new ArrayList<>();
    private final List<byte[]> keyBytes = new ArrayList<>();

    MaildirIndexReader(FileChannel ch) throws IOException {
        this.ch = ch;
        this.size = ch.size();
        this.buf = new byte[(int) Math.max(64, Math.min(size, WINDOW))];
    }

    long size() {
        return size;
    }

    /** Whether bytes [at, at + n) exist in the file; if so they are in the window afterwards. */
    boolean available(long at, int n) throws IOException {
        if (n < 0 || at + n > size) {
            return false;
        }
        if (at >= bufStart && at + n <= bufStart + bufLen) {
            return true;
        }
        // Keep what is still ahead of `at`, then read on from the file.
        int keep = at < bufStart ? 0 : (int) Math.max(0, bufStart + bufLen - at);
        if (keep > 0) {
            System.arraycopy(buf, (int) (at - bufStart), buf, 0, keep);
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, n);
        }
        bufStart = at;
        bufLen = keep;
        ByteBuffer into = ByteBuffer.wrap(buf);
        while (bufLen < buf.length && bufStart + bufLen < size) {
            into.limit(buf.length).position(bufLen);
            int read = ch.read(into, bufStart + bufLen);
            if (read <= 0) {
                break;
            }
            bufLen += read;
        }
        return at + n <= bufStart + bufLen;
    }

    private int index(long at) {
        return (int) (at - bufStart);
    }

    boolean startsWith(byte[] magic) {
        return Arrays.equals(buf, index(0), index(0) + magic.length, magic, 0, magic.length);
    }

    byte byteAt(long at) {
        return buf[index(at)];
    }

    int intAt(long at) {
        int i = index(at);
        return ((buf[i] & 0xff) << 24) | ((buf[i + 1] & 0xff) << 16) | ((buf[i + 2] & 0xff) << 8) | (buf[i + 3] & 0xff);
    }

    long longAt(long at) {
        return ((intAt(at) & 0xffffffffL) << 32) | (intAt(at + 4) & 0xffffffffL);
    }

    /** CRC-32 of [at, at + n), which {@link #available} made present. */
    int crc(CRC32 crc, long at, int n) {
        crc.reset();
        crc.update(buf, index(at), n);
        return (int) crc.getValue();
    }

    /** Starts decoding the payload [at, at + length), which {@link #available} made present. */
    MaildirIndexReader record(long at, int length) {
        pos = index(at);
        end = pos + length;
        return this;
    }

    private int need(int n) throws IOException {
        if (n < 0 || end - pos < n) {
            throw new IOException("record too short");
        }
        int at = pos;
        pos += n;
        return at;
    }

    int readUnsignedByte() throws IOException {
        return buf[need(1)] & 0xff;
    }

    int readShort() throws IOException {
        int at = need(2);
        return (short) (((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff));
    }

    int readInt() throws IOException {
        int at = need(4);
        return ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
    }

    long readLong() throws IOException {
        long hi = readInt() & 0xffffffffL;
        return (hi << 32) | (readInt() & 0xffffffffL);
    }

    /** Copies the next {@code n} bytes of the record into the cache being built, as the value of uid and key. */
    void readInto(org.mailserver.storage.support.PackedCache.Builder cache, long uid, String key, int n) throws IOException {
        int at = need(n);
        cache.put(uid, key, buf, at, n);
    }

    void skip(int n) throws IOException {
        need(n);
    }

    /** A writeUTF string: plain ASCII decoded directly, anything else by DataInputStream's decoder. */
    String readUTF() throws IOException {
        int n = readShort() & 0xffff;
        int at = need(n);
        for (int i = at; i < at + n; i++) {
            if (buf[i] <= 0) {
                // non-ASCII, or NUL (which modified UTF-8 encodes in two bytes): the JDK's decoder
                return new DataInputStream(new ByteArrayInputStream(buf, at - 2, n + 2)).readUTF();
            }
        }
        return new String(buf, at, n, StandardCharsets.ISO_8859_1);
    }

    /** A writeUTF cache key, the same String as earlier records with the same key bytes. */
    String readCacheKey() throws IOException {
        int start = pos;
        int n = readShort() & 0xffff;
        need(n);
        for (int i = 0; i < keyBytes.size(); i++) {
            byte[] known = keyBytes.get(i);
            if (Arrays.equals(buf, start, pos, known, 0, known.length)) {
                return keys.get(i);
            }
        }
        pos = start;
        String key = readUTF();
        if (keys.size() < 32) {
            keys.add(key);
            keyBytes.add(Arrays.copyOfRange(buf, start, pos));
        }
        return key;
    }
}
