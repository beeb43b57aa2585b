package org.mailserver.imap.mime;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Content-Transfer-Encoding decoders for BINARY (RFC 3516) and SEARCH BODY/TEXT: identity (7bit, 8bit,
 * binary), base64 and quoted-printable (RFC 2045 6.7, 6.8). Decoding is lenient as RFC 2045 6.7 and 6.8
 * ask of readers: characters outside the alphabet are skipped, a bad {@code =XX} is kept literally.
 * An encoding it does not know returns null, which BINARY answers with {@code NO [UNKNOWN-CTE]}.
 */
public final class TransferDecoding {

    private TransferDecoding() {
    }

    /** The decoded bytes, or null when {@code cte} is not an encoding we can decode. */
    public static byte[] decode(byte[] body, String cte) {
        switch (cte.toLowerCase(Locale.ROOT)) {
            case "7bit", "8bit", "binary" -> {
                return body;
            }
            case "base64" -> {
                return base64(body);
            }
            case "quoted-printable" -> {
                return quotedPrintable(body);
            }
            default -> {
                return null;
            }
        }
    }

    static byte[] base64(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 3 / 4 + 3);
        int acc = 0;
        int bits = 0;
        for (byte b : in) {
            int v = value(b);
            if (b == '=') {
                break; // padding: the rest is not data
            }
            if (v < 0) {
                continue;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.write((acc >> bits) & 0xff);
            }
        }
        return out.toByteArray();
    }

    private static int value(byte b) {
        if (b >= 'A' && b <= 'Z') {
            return b - 'A';
        }
        if (b >= 'a' && b <= 'z') {
            return b - 'a' + 26;
        }
        if (b >= '0' && b <= '9') {
            return b - '0' + 52;
        }
        if (b == '+') {
            return 62;
        }
        if (b == '/') {
            return 63;
        }
        return -1;
    }

    static byte[] quotedPrintable(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int i = 0;
        while (i < in.length) {
            byte b = in[i];
            if (b == '=') {
                // soft line break: '=' followed by optional white space and CRLF (RFC 2045 6.7 rule 5)
                int j = i + 1;
                while (j < in.length && (in[j] == ' ' || in[j] == '\t')) {
                    j++;
                }
                if (j < in.length && (in[j] == '\r' || in[j] == '\n')) {
                    if (in[j] == '\r' && j + 1 < in.length && in[j + 1] == '\n') {
                        j++;
                    }
                    i = j + 1;
                    continue;
                }
                if (j >= in.length) {
                    i = j;
                    continue;
                }
                if (i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                    out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                    i += 3;
                    continue;
                }
                out.write(b);
                i++;
            } else if (b == ' ' || b == '\t') {
                // trailing white space on a line is padding to be dropped (RFC 2045 6.7 rule 3)
                int j = i;
                while (j < in.length && (in[j] == ' ' || in[j] == '\t')) {
                    j++;
                }
                if (j < in.length && in[j] != '\r' && in[j] != '\n') {
                    out.write(in, i, j - i);
                }
                i = j;
            } else {
                out.write(b);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
