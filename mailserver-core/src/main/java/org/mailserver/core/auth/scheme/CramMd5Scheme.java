package org.mailserver.core.auth.scheme;

import java.util.List;

/**
 * {@code {CRAM-MD5}} (alias HMAC-MD5): Dovecot stores not a hash but the two HMAC-MD5 intermediate contexts,
 * the MD5 state after one block of {@code key XOR opad} and after one block of {@code key XOR ipad}, each as
 * four little-endian words, 32 bytes in hex (dovecot hmac-cram-md5.c). That lets the server answer the
 * CRAM-MD5 SASL mechanism without the plaintext; for verifying a plaintext we recompute the contexts.
 */
final class CramMd5Scheme implements PasswordScheme {
    private static final int CONTEXT_LENGTH = 32;
    private static final int[] S = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23,
        4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    private static final int[] K = new int[64];

    static {
        for (int i = 0; i < 64; i++) {
            K[i] = (int) (long) Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296.0);
        }
    }

    @Override
    public List<String> names() {
        return List.of("CRAM-MD5", "HMAC-MD5");
    }

    @Override
    public boolean verify(String plaintext, String stored, Encoding encoding) {
        byte[] expected = Bytes.decode(stored, encoding, Encoding.HEX, CONTEXT_LENGTH);
        return Bytes.equal(expected, contexts(Bytes.utf8(plaintext)));
    }

    @Override
    public String generate(String plaintext, HashCosts costs) {
        return Bytes.hex(contexts(Bytes.utf8(plaintext)));
    }

    /** The 32-byte stored form: outer context then inner context. */
    static byte[] contexts(byte[] password) {
        byte[] key = password.length > 64 ? Bytes.digest("MD5", password) : password;
        byte[] ipad = new byte[64];
        byte[] opad = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        byte[] out = new byte[CONTEXT_LENGTH];
        putState(out, 0, compress(opad));
        putState(out, 16, compress(ipad));
        return out;
    }

    /** The HMAC-MD5 of {@code message} from stored contexts (for the CRAM-MD5 SASL mechanism). */
    static byte[] hmacFromContexts(byte[] contexts, byte[] message) {
        int[] outer = getState(contexts, 0);
        int[] inner = getState(contexts, 16);
        byte[] innerDigest = finish(inner, message);
        return finish(outer, innerDigest);
    }

    /** MD5 (RFC 1321) continued from a state that has already consumed one 64-byte block. */
    private static byte[] finish(int[] state, byte[] message) {
        long bitLength = (64L + message.length) * 8;
        int padded = ((message.length + 8) / 64 + 1) * 64;
        byte[] buf = new byte[padded];
        System.arraycopy(message, 0, buf, 0, message.length);
        buf[message.length] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
            buf[padded - 8 + i] = (byte) (bitLength >>> (8 * i));
        }
        int[] h = state.clone();
        for (int off = 0; off < padded; off += 64) {
            h = block(h, buf, off);
        }
        byte[] out = new byte[16];
        putState(out, 0, h);
        return out;
    }

    private static int[] compress(byte[] block) {
        return block(new int[] {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, block, 0);
    }

    private static int[] block(int[] h, byte[] buf, int off) {
        int[] m = new int[16];
        for (int i = 0; i < 16; i++) {
            int p = off + i * 4;
            m[i] = (buf[p] & 0xff) | (buf[p + 1] & 0xff) << 8 | (buf[p + 2] & 0xff) << 16 | (buf[p + 3] & 0xff) << 24;
        }
        int a = h[0], b = h[1], c = h[2], d = h[3];
        for (int i = 0; i < 64; i++) {
            int f;
            int g;
            if (i < 16) {
                f = (b & c) | (~b & d);
                g = i;
            } else if (i < 32) {
                f = (d & b) | (~d & c);
                g = (5 * i + 1) % 16;
            } else if (i < 48) {
                f = b ^ c ^ d;
                g = (3 * i + 5) % 16;
            } else {
                f = c ^ (b | ~d);
                g = (7 * i) % 16;
            }
            int t = d;
            d = c;
            c = b;
            b = b + Integer.rotateLeft(a + f + K[i] + m[g], S[i]);
            a = t;
        }
        return new int[] {h[0] + a, h[1] + b, h[2] + c, h[3] + d};
    }

    private static void putState(byte[] out, int off, int[] h) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                out[off + i * 4 + j] = (byte) (h[i] >>> (8 * j));
            }
        }
    }

    private static int[] getState(byte[] in, int off) {
        int[] h = new int[4];
        for (int i = 0; i < 4; i++) {
            int p = off + i * 4;
            h[i] = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff) << 16 | (in[p + 3] & 0xff) << 24;
        }
        return h;
    }
}
