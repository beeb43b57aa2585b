package org.mailserver.imap.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed Content-Type or Content-Disposition value (RFC 2045 5.1, RFC 2183): the value before the first
 * {@code ;} (for Content-Type split at {@code /}) and the parameter list, names and values as sent.
 *
 * <p>RFC 2231 parameters are handled the way Dovecot shows them in BODYSTRUCTURE, which clients expect:
 * continuations {@code name*0, name*1} are joined into {@code name}, extended ones {@code name*0*, name*1*}
 * (or a lone {@code name*}) into {@code name*} whose value stays percent-encoded with its charset prefix;
 * those joined parameters follow the plain ones, sorted by name. Values are ISO-8859-1 strings of the raw
 * bytes (8-bit file names stay as sent). Parsing never fails: garbage yields an empty type, which the
 * caller replaces with its default.
 */
public record ContentType(String type, String subtype, List<Param> params) {

    /** One {@code name=value} parameter, value unquoted. */
    public record Param(String name, String value) {
    }

    public ContentType {
        params = List.copyOf(params);
    }

    public static final ContentType TEXT_PLAIN = new ContentType("text", "plain", List.of(new Param("charset", "us-ascii")));
    public static final ContentType MESSAGE_RFC822 = new ContentType("message", "rfc822", List.of());

    public boolean is(String t, String s) {
        return type.equalsIgnoreCase(t) && subtype.equalsIgnoreCase(s);
    }

    public boolean isMultipart() {
        return type.equalsIgnoreCase("multipart");
    }

    public boolean isText() {
        return type.equalsIgnoreCase("text");
    }

    /** The first parameter of this name (case-insensitive), or null. */
    public String param(String name) {
        for (Param p : params) {
            if (p.name.equalsIgnoreCase(name)) {
                return p.value;
            }
        }
        return null;
    }

    /**
     * Parses a Content-Type value; null, empty or unparsable values give {@code dflt}. A text type without
     * a charset gets {@code charset=us-ascii} appended (RFC 2045 5.2, shown as Dovecot shows it).
     */
    public static ContentType parseContentType(String value, ContentType dflt) {
        if (value == null) {
            return dflt;
        }
        Lexer lx = new Lexer(value);
        String type = lx.token();
        if (type.isEmpty()) {
            return dflt;
        }
        String subtype = "";
        lx.skipCfws();
        if (lx.peek() == '/') {
            lx.pos++;
            subtype = lx.token();
        }
        List<Param> params = parseParams(lx);
        if (type.equalsIgnoreCase("text")) {
            boolean hasCharset = false;
            for (Param p : params) {
                hasCharset |= p.name.equalsIgnoreCase("charset");
            }
            if (!hasCharset) {
                params = new ArrayList<>(params);
                params.add(new Param("charset", "us-ascii"));
            }
        }
        return new ContentType(type, subtype, params);
    }

    /** Parses a Content-Disposition value into (disposition, "", params); null when absent or empty. */
    public static ContentType parseDisposition(String value) {
        if (value == null) {
            return null;
        }
        Lexer lx = new Lexer(value);
        String disp = lx.token();
        if (disp.isEmpty()) {
            return null;
        }
        return new ContentType(disp, "", parseParams(lx));
    }

    private static List<Param> parseParams(Lexer lx) {
        List<Param> plain = new ArrayList<>();
        // name (lower case, without section) -> section index -> [original name, value, extended?]
        Map<String, TreeMap<Integer, String[]>> split = new TreeMap<>();
        while (true) {
            lx.skipCfws();
            if (lx.atEnd()) {
                break;
            }
            if (lx.peek() != ';') {
                lx.pos++; // junk between parameters: skip it, as lenient parsers do
                continue;
            }
            lx.pos++;
            String name = lx.token();
            lx.skipCfws();
            if (lx.peek() != '=') { // an empty name with a value is kept, as Dovecot shows it
                continue;
            }
            lx.pos++;
            lx.skipCfws();
            String val = lx.peek() == '"' ? lx.quoted() : lx.token();
            int star = name.indexOf('*');
            if (star < 0) {
                plain.add(new Param(name, val));
                continue;
            }
            String base = name.substring(0, star);
            String rest = name.substring(star + 1);
            boolean extended = rest.endsWith("*") || rest.isEmpty();
            String digits = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
            int section = 0;
            if (!digits.isEmpty()) {
                try {
                    section = Integer.parseInt(digits);
                } catch (NumberFormatException e) {
                    plain.add(new Param(name, val));
                    continue;
                }
            }
            split.computeIfAbsent(base.toLowerCase(Locale.ROOT), k -> new TreeMap<>())
                .putIfAbsent(section, new String[] {base, val, extended ? "*" : ""});
        }
        List<Param> out = new ArrayList<>(plain);
        for (TreeMap<Integer, String[]> parts : split.values()) {
            StringBuilder v = new StringBuilder();
            boolean extended = false;
            String base = null;
            for (String[] p : parts.values()) {
                if (base == null) {
                    base = p[0];
                }
                extended |= !p[2].isEmpty();
                v.append(p[1]);
            }
            out.add(new Param(extended ? base + "*" : base, v.toString()));
        }
        return out;
    }

    /** RFC 2045 tokens, quoted strings and RFC 5322 comments over a header value. */
    static final class Lexer {
        private final String s;
        int pos;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        void skipCfws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    pos++;
                } else if (c == '(') {
                    comment();
                } else {
                    return;
                }
            }
        }

        /** Skips a comment (nested, with quoted pairs) and returns its text. */
        String comment() {
            StringBuilder sb = new StringBuilder();
            int depth = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    sb.append(s.charAt(pos++));
                } else if (c == '(') {
                    if (depth++ > 0) {
                        sb.append(c);
                    }
                } else if (c == ')') {
                    if (--depth == 0) {
                        return sb.toString();
                    }
                    sb.append(c);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        String token() {
            skipCfws();
            int start = pos;
            while (pos < s.length() && !isTspecial(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String quoted() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                sb.append(c);
            }
            return sb.toString();
        }

        static boolean isTspecial(char c) {
            return c <= ' ' || c == 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0;
        }
    }
}
