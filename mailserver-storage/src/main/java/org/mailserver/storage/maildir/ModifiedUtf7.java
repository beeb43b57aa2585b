package org.mailserver.storage.maildir;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * RFC 3501 5.1.3 modified UTF-7, the encoding Dovecot uses for Maildir++ folder names on disk
 * ({@code Entwürfe} is {@code Entw&APw-rfe}). Printable ASCII other than {@code &} stands for
 * itself, {@code &} is {@code &-}, anything else is UTF-16 in base64 with {@code ,} for {@code /}.
 * The encoded form never contains {@code /}, so no decoded name can become a path separator.
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
                continue;
            }
            int j = i;
            while (j < s.length() && (s.charAt(j) < 0x20 || s.charAt(j) > 0x7e)) {
                j++;
            }
            byte[] utf16 = s.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ',');
            out.append('&').append(b64).append('-');
            i = j;
        }
        return out.toString();
    }

    /** Decodes; throws IllegalArgumentException for malformed input. */
    public static String decode(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("non-ASCII in modified UTF-7");
                }
                out.append(c);
                i++;
                continue;
            }
            int end = s.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated modified UTF-7 shift");
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                byte[] utf16 = Base64.getDecoder().decode(s.substring(i + 1, end).replace(',', '/'));
                if (utf16.length % 2 != 0) {
                    throw new IllegalArgumentException("odd UTF-16 length");
                }
                out.append(new String(utf16, StandardCharsets.UTF_16BE));
            }
            i = end + 1;
        }
        return out.toString();
    }
}
