package org.mailserver.smtp.outbound;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The quoted-printable encoding of RFC 2045 6.7, one line of text at a time, for {@link EightBitDowngrader}.
 * Stateless; the caller feeds lines with their terminators (LF or CRLF) and gets CRLF line breaks back.
 */
final class QuotedPrintable {
    private static final int MAX_QP_LINE = 76;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    /** RFC 2045 6.7: one hard line of the body, with soft breaks so no encoded line exceeds 76 characters. */
    static void encodeLine(byte[] line, OutputStream out) throws IOException {
        int end = EightBitDowngrader.contentLength(line);
        boolean hardBreak = end < line.length;
        int col = 0;
        for (int i = 0; i < end; i++) {
            int c = line[i] & 0xff;
            boolean last = i == end - 1;
            // Rule 1 and 2: "=" and octets outside printable ASCII are escaped; rule 3: so is white space
            // ending a line, which transports may strip.
            boolean literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
            int width = literal ? 1 : 3;
            // Rule 5: room for the "=" of a soft break unless this is the line's last token.
            int limit = last ? MAX_QP_LINE : MAX_QP_LINE - 1;
            if (col + width > limit) {
                out.write('=');
                out.write(CRLF);
                col = 0;
            }
            if (literal) {
                out.write(c);
            } else {
                out.write('=');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 15]);
            }
            col += width;
        }
        if (hardBreak) {
            out.write(CRLF); // rule 4: the text's line breaks stay CRLF line breaks
        }
    }
}
