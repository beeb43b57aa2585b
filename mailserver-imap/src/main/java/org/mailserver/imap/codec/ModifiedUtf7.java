package org.mailserver.imap.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * IMAP's modified UTF-7 for mailbox names (RFC 3501 5.1.3): printable ASCII stands for itself except
 * {@code &}, written {@code &-}; other characters are UTF-16 in modified base64 ({@code ,} for {@code /})
 * between {@code &} and {@code -}. Used unless the client enabled UTF8=ACCEPT (RFC 6855 3).
 */
public final class ModifiedUtf7 {
    private ModifiedUtf7() {
    }

    public static String encode(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < s.length() && (s.charAt(j) < 0x20 || s.charAt(j) > 0x7e)) {
                    j++;
                }
                byte[] utf16 = s.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
                String b64 = Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ',');
                out.append('&').append(b64).append('-');
                i = j;
            }
        }
        return out.toString();
    }

    /** Decodes; throws SyntaxException for malformed input (a name a client could not have produced). */
    public static String decode(String s) throws SyntaxException {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                if (c > 0x7e) {
                    return s; // 8-bit name from a client that did not enable UTF8=ACCEPT: take it as UTF-8 (leniency)
                }
                out.append(c);
                i++;
                continue;
            }
            int end = s.indexOf('-', i);
            if (end < 0) {
                throw new SyntaxException("Invalid modified UTF-7 mailbox name");
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                try {
                    byte[] utf16 = Base64.getDecoder().decode(s.substring(i + 1, end).replace(',', '/'));
                    out.append(StandardCharsets.UTF_16BE.newDecoder().decode(ByteBuffer.wrap(utf16)));
                } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
                    throw new SyntaxException("Invalid modified UTF-7 mailbox name");
                }
            }
            i = end + 1;
        }
        return out.toString();
    }
}
