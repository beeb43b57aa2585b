package org.mailserver.smtp.outbound;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The few MIME header fields {@link EightBitDowngrader} needs from one header section (RFC 2045 4, 5, 6;
 * RFC 5322 2.2.3 unfolding): the media type, its boundary parameter, the transfer encoding and whether
 * MIME-Version is present. Lenient: an unparsable Content-Type counts as absent (text/plain, RFC 2045 5.2).
 */
record MimeHeaders(String contentType, String boundary, String transferEncoding, boolean mimeVersion) {

    static MimeHeaders parse(List<byte[]> lines) {
        String type = null;
        String boundary = null;
        String cte = null;
        boolean version = false;
        StringBuilder field = null;
        for (int i = 0; i <= lines.size(); i++) {
            byte[] line = i < lines.size() ? lines.get(i) : null;
            if (line != null && field != null && (line[0] == ' ' || line[0] == '\t')) {
                field.append(text(line)); // folded continuation
                continue;
            }
            if (field != null) {
                String f = field.toString();
                int colon = f.indexOf(':');
                String name = f.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = f.substring(colon + 1).trim();
                switch (name) {
                    case "content-type" -> {
                        if (type == null) {
                            String[] parsed = contentType(value);
                            type = parsed[0];
                            boundary = parsed[1];
                        }
                    }
                    case "content-transfer-encoding" -> {
                        if (cte == null) {
                            cte = value.toLowerCase(Locale.ROOT);
                        }
                    }
                    case "mime-version" -> version = true;
                    default -> {
                    }
                }
                field = null;
            }
            if (line != null && text(line).indexOf(':') > 0) {
                field = new StringBuilder(text(line));
            }
        }
        return new MimeHeaders(type, boundary, cte, version);
    }

    /** Whether the line starts the named field (case-insensitive, RFC 5322 2.2). */
    static boolean isField(byte[] line, String name) {
        String t = text(line);
        int colon = t.indexOf(':');
        return colon > 0 && t.substring(0, colon).trim().equalsIgnoreCase(name);
    }

    private static String text(byte[] line) {
        return new String(line, 0, EightBitDowngrader.contentLength(line), StandardCharsets.ISO_8859_1);
    }

    /** {type/subtype (lower case) or null, boundary or null}: RFC 2045 5.1 syntax, quoted strings included. */
    private static String[] contentType(String value) {
        String v = stripComments(value);
        int semi = v.indexOf(';');
        String t = (semi < 0 ? v : v.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (t.indexOf('/') <= 0) {
            return new String[] {null, null};
        }
        String boundary = null;
        int i = semi;
        while (i >= 0 && i < v.length()) {
            int eq = v.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = v.substring(i + 1, eq).trim().toLowerCase(Locale.ROOT);
            int p = eq + 1;
            while (p < v.length() && (v.charAt(p) == ' ' || v.charAt(p) == '\t')) {
                p++;
            }
            StringBuilder val = new StringBuilder();
            if (p < v.length() && v.charAt(p) == '"') {
                p++;
                while (p < v.length() && v.charAt(p) != '"') {
                    if (v.charAt(p) == '\\' && p + 1 < v.length()) {
                        p++;
                    }
                    val.append(v.charAt(p++));
                }
                p++;
            } else {
                while (p < v.length() && v.charAt(p) != ';') {
                    val.append(v.charAt(p++));
                }
            }
            if (name.equals("boundary") && boundary == null) {
                boundary = val.toString().trim();
            }
            i = v.indexOf(';', Math.min(p, v.length()));
        }
        return new String[] {t, boundary == null || boundary.isEmpty() ? null : boundary};
    }

    /** RFC 5322 3.2.2 comments outside quoted strings. */
    private static String stripComments(String v) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() && (quoted || depth > 0)) {
                if (depth == 0) {
                    out.append(c).append(v.charAt(i + 1));
                }
                i++;
            } else if (quoted) {
                out.append(c);
                quoted = c != '"';
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
                quoted = c == '"';
            }
        }
        return out.toString();
    }
}
