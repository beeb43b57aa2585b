package org.mailserver.storage.maildir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a Maildir file (LF line endings, as Dovecot stores mail with {@code mail_save_crlf = no})
 * as the CRLF form IMAP serves (RFC 3501 2.3.4: RFC822.SIZE and literals are CRLF). An LF already
 * preceded by CR is left alone, so files stored with CRLF read the same.
 */
final class CrlfInputStream extends FilterInputStream {
    private int prev = -1;
    private boolean pendingLf;

    CrlfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (pendingLf) {
            pendingLf = false;
            prev = '\n';
            return '\n';
        }
        int b = in.read();
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
            if (n > 0 && !pendingLf && in.available() <= 0) {
                break;
            }
            int b = read();
            if (b < 0) {
                return n == 0 ? -1 : n;
            }
            buf[off + n++] = (byte) b;
        }
        return n;
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
