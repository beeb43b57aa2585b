package org.mailserver.smtp.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Splits a stream into lines that keep their terminator (the last one may have none). */
final class MessageLines {
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int len;

    MessageLines(InputStream in) {
        this.in = in;
    }

    byte[] next() throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            if (pos >= len) {
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return line == null || line.size() == 0 ? null : line.toByteArray();
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            boolean eol = pos < len;
            if (eol) {
                pos++;
            }
            if (line == null) {
                line = new ByteArrayOutputStream(pos - start + 16);
            }
            line.write(buf, start, pos - start);
            if (eol) {
                return line.toByteArray();
            }
        }
    }
}
