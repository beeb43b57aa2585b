package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The cache value layout, and {@link CacheCodec#part}: every malformed value is a miss (null), never an exception. */
class CacheCodecPartTest {

    @Test
    void roundTripsAndRefusesEveryTruncationOrExtension() {
        byte[] a = "(envelope)".getBytes();
        byte[] b = new byte[0];
        byte[] c = new byte[300];
        Arrays.fill(c, (byte) 0xff);
        byte[] value = CacheCodec.encode((byte) 'H', a, b, c);
        byte[][] parts = CacheCodec.decode(value, (byte) 'H', 3);
        assertArrayEquals(a, parts[0]);
        assertArrayEquals(b, parts[1]);
        assertArrayEquals(c, parts[2]);
        assertArrayEquals(c, CacheCodec.part(value, (byte) 'H', 3, 2));
        assertArrayEquals(a, CacheCodec.part(value, (byte) 'H', 3, 0));
        assertNull(CacheCodec.part(Arrays.copyOf(value, value.length - 1), (byte) 'H', 3, 0), "the whole layout is checked");
        assertNull(CacheCodec.decode(value, (byte) 'S', 3), "other magic");
        assertNull(CacheCodec.decode(value, (byte) 'H', 2), "trailing bytes");
        assertNull(CacheCodec.decode(value, (byte) 'H', 4), "a part missing");
        for (int len = 0; len < value.length; len++) {
            assertNull(CacheCodec.decode(Arrays.copyOf(value, len), (byte) 'H', 3), "truncated to " + len);
        }
        assertNull(CacheCodec.decode(null, (byte) 'H', 3));
        byte[] negative = {'H', (byte) 0x80, 0, 0, 0};
        assertNull(CacheCodec.decode(negative, (byte) 'H', 1), "negative length");
    }

    /** A value inside a larger array (a store's packed cache): same answers as for the value alone, every truncation a miss. */
    @Test
    void slicesOfALargerArray() {
        byte[] env = "(\"env\")".getBytes();
        byte[] fields = "From: a\r\nSubject: s\r\n\r\n".getBytes();
        byte[] value = CacheCodec.encode((byte) 'H', env, fields);
        byte[] data = new byte[value.length + 20];
        Arrays.fill(data, (byte) 'H');
        System.arraycopy(value, 0, data, 7, value.length);
        assertArrayEquals(HeaderSummary.decodeEnvelope(value), HeaderSummary.decodeEnvelope(data, 7, value.length));
        HeaderFieldFilter tb = HeaderFieldFilter.of(java.util.List.of("From", "To"));
        assertArrayEquals(HeaderSummary.headerFieldsLiteral(value, tb), HeaderSummary.headerFieldsLiteral(data, 7, value.length, tb));
        assertEquals("{11}\r\nFrom: a\r\n\r\n", new String(HeaderSummary.headerFieldsLiteral(data, 7, value.length, tb)));
        for (int len = 0; len < value.length; len++) {
            assertNull(HeaderSummary.decodeEnvelope(data, 7, len), "truncated to " + len);
            assertEquals(-1, CacheCodec.partRange(data, 7, len, (byte) 'H', 2, 1), "truncated to " + len);
        }
        assertNull(HeaderSummary.decodeEnvelope(data, 7, value.length + 1), "trailing bytes");
        long r = CacheCodec.partRange(data, 7, value.length, (byte) 'H', 2, 0);
        assertEquals(7 + 1 + 4, (int) (r >>> 32));
        assertEquals(env.length, (int) r);
    }
}
