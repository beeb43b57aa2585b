package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cache value layout: magic, then big-endian int32-prefixed parts, nothing after. */
@Timeout(10)
class CacheCodecTest {

    /** The layout written with DataOutputStream, as values already on disk were. */
    private static byte[] streamEncoded(byte magic, byte[]... parts) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(magic);
            for (byte[] p : parts) {
                out.writeInt(p.length);
                out.write(p);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void roundTripsAndMatchesTheStoredLayout() throws Exception {
        Random rnd = new Random(3);
        for (int n = 0; n < 200; n++) {
            byte[] a = new byte[rnd.nextInt(300)];
            byte[] b = new byte[rnd.nextInt(70000)]; // lengths above 65535 use all four length bytes
            rnd.nextBytes(a);
            rnd.nextBytes(b);
            byte[] enc = CacheCodec.encode((byte) 'H', a, b);
            assertArrayEquals(streamEncoded((byte) 'H', a, b), enc);
            byte[][] dec = CacheCodec.decode(enc, (byte) 'H', 2);
            assertArrayEquals(a, dec[0]);
            assertArrayEquals(b, dec[1]);
        }
    }

    @Test
    void anythingNotExactlyTheLayoutIsAMiss() throws Exception {
        byte[] good = CacheCodec.encode((byte) 'H', "env".getBytes(), "fields".getBytes());
        assertNull(CacheCodec.decode(null, (byte) 'H', 2));
        assertNull(CacheCodec.decode(new byte[0], (byte) 'H', 2));
        assertNull(CacheCodec.decode(good, (byte) 'S', 2)); // other magic
        assertNull(CacheCodec.decode(good, (byte) 'H', 3)); // fewer parts than expected
        assertNull(CacheCodec.decode(good, (byte) 'H', 1)); // bytes left over
        for (int cut = 1; cut < good.length; cut++) {
            assertNull(CacheCodec.decode(Arrays.copyOf(good, cut), (byte) 'H', 2), "truncated at " + cut);
        }
        byte[] negative = good.clone();
        negative[1] = (byte) 0x80; // length < 0
        assertNull(CacheCodec.decode(negative, (byte) 'H', 2));
        assertEquals(2, CacheCodec.decode(good, (byte) 'H', 2).length);
    }
}
