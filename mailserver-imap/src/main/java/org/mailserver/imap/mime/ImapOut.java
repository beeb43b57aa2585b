package org.mailserver.imap.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.mailserver.imap.fetch.ImapStrings;

/**
 * A byte builder for IMAP response values (RFC 3501 4.3, 4.5, 9 nstring). Strings are ISO-8859-1 strings
 * of raw header bytes, so 8-bit content goes out byte for byte. The quoting rule is
 * {@link ImapStrings#canQuote}: quoted unless the value has CR, LF, NUL, is long, or has
 * 8-bit bytes (allowed quoted only under UTF8=ACCEPT, RFC 6855 3); otherwise a literal.
 */
final class ImapOut {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final boolean utf8;

    ImapOut(boolean utf8) {
        this.utf8 = utf8;
    }

    ImapOut raw(String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    ImapOut raw(char c) {
        out.write(c);
        return this;
    }

    ImapOut nil() {
        return raw("NIL");
    }

    ImapOut number(long n) {
        return raw(Long.toString(n));
    }

    ImapOut nstring(String value) {
        return value == null ? nil() : string(value);
    }

    ImapOut string(String value) {
        if (ImapStrings.canQuote(value, utf8)) {
            out.write('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    out.write('\\');
                }
                out.write(c);
            }
            out.write('"');
            return this;
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        raw("{" + bytes.length + "}\r\n");
        out.writeBytes(bytes);
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
