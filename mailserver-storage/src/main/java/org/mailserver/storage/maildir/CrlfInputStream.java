package org.mailserver.storage.maildir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a Maildir file (LF line endings, as Dovecot stores mail with {@code mail_save_crlf = no})
 * as the CRLF form IMAP serves (RFC 3501 2.3.4: RFC822.SIZE and literals are CRLF). An LF already
 * preceded by CR is left alone, so files stored with CRLF read the same. Reads the file in blocks.
 */
final class CrlfInputStream extends FilterInputStream {
    private final byte[] block = new byte[8192];
    private int pos;
    private int limit;
    private int prev = -1;
    private boolean pendingLf;

    CrlfInputStream(InputStream in) {
        super(in);
    }

    /**
     * The same conversion on a whole file in memory: every LF not preceded by CR gets one. Returns the
     * array itself when it is already CRLF (nothing to add), else one exactly-sized copy.
     */
    static byte[] toCrlf(byte[] raw) {
        int bare = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                bare++;
            }
        }
        if (bare == 0) {
            return raw;
        }
        byte[] out = new byte[raw.length + bare];
        int o = 0;
        int from = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                System.arraycopy(raw, from, out, o, i - from);
                o += i - from;
                out[o++] = '\r';
                from = i; // the LF itself is copied with the next run
            }
        }
        System.arraycopy(raw, from, out, o, raw.length - from);
        return out;
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(block, 0, block.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (pendingLf) {
            pendingLf = false;
            prev = '\n';
            return '\n';
        }
        if (!fill()) {
            return -1;
        }
        int b = block[pos++] & 0xff;
        if (b == '\n' && prev != '\r') {
            pendingLf = true;
            prev = '\r';
            return '\r';
        }
        prev = b;
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (pendingLf) {
                pendingLf = false;
                prev = '\n';
                buf[off + n++] = '\n';
                continue;
            }
            if (pos >= limit && (n > 0 || !fill())) {
                break;
            }
            int b = block[pos++] & 0xff;
            if (b == '\n' && prev != '\r') {
                pendingLf = true;
                prev = '\r';
                buf[off + n++] = '\r';
                continue;
            }
            prev = b;
            buf[off + n++] = (byte) b;
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public int available() throws IOException {
        return (limit - pos) + (pendingLf ? 1 : 0);
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
