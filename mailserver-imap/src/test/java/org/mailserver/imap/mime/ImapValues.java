package org.mailserver.imap.mime;

import java.nio.charset.StandardCharsets;

/** Test helper: canonicalises an IMAP value so that quoted strings and literals of the same text compare equal. */
final class ImapValues {
    private ImapValues() {
    }

    /** Every string (quoted or literal; a literal's CRLF or a bare LF as doveadm prints it) becomes {@code "..."} with escapes. */
    static String canonical(byte[] value) {
        String s = new String(value, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                StringBuilder str = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\') {
                        i++;
                    }
                    str.append(s.charAt(i++));
                }
                i++;
                out.append(quote(str.toString()));
            } else if (c == '{' || (c == '~' && i + 1 < s.length() && s.charAt(i + 1) == '{')) {
                int open = s.indexOf('{', i);
                int close = s.indexOf('}', open);
                int n = Integer.parseInt(s.substring(open + 1, close).replace("+", ""));
                int p = close + 1;
                if (s.charAt(p) == '\r') {
                    p++;
                }
                p++; // LF
                out.append(quote(s.substring(p, p + n)));
                i = p + n;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String quote(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
