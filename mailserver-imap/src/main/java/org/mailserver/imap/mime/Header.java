package org.mailserver.imap.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The header section of one entity (a message or a MIME part) inside a message's bytes, with the exact
 * offsets IMAP needs: BODY[HEADER] is {@code [start, end)} including the terminating blank line, the fields
 * lie in {@code [start, fieldsEnd)}. Built by {@link MimeParser}; immutable. Tolerant: a header without a
 * blank line runs to the end of its entity; a line without a colon is kept as a field with an empty name
 * so that HEADER.FIELDS.NOT and HEADER return the original bytes (RFC 5322 2.2, RFC 3501 6.4.5).
 *
 * <p>Values are handed out as ISO-8859-1 strings (one char per byte) so that 8-bit bytes survive unchanged
 * into ENVELOPE and BODYSTRUCTURE, which must show headers as sent.
 */
public final class Header {

    /** One field: {@code [start, end)} covers the name, the value and every continuation line with its CRLF. */
    public record Field(String name, int start, int valueStart, int end) {
    }

    private final byte[] data;
    private final int start;
    private final int fieldsEnd;
    private final int end;
    private final List<Field> fields;

    private Header(byte[] data, int start, int fieldsEnd, int end, List<Field> fields) {
        this.data = data;
        this.start = start;
        this.fieldsEnd = fieldsEnd;
        this.end = end;
        this.fields = fields;
    }

    /** Tells whether the line starting at {@code lineStart} ends the entity (a MIME delimiter of an enclosing multipart). */
    @FunctionalInterface
    interface LineStop {
        boolean stopsAt(int lineStart, int lineEnd);
    }

    /** Parses the header starting at {@code start}, not reading beyond {@code limit}. */
    public static Header parse(byte[] data, int start, int limit) {
        return parse(data, start, limit, (a, b) -> false);
    }

    /**
     * Parses the header starting at {@code start}; it also ends, without a blank line, before a line that
     * {@code stop} recognises, the line break before that line excluded.
     */
    static Header parse(byte[] data, int start, int limit, LineStop stop) {
        List<Field> fields = new ArrayList<>();
        int p = start;
        String name = null;
        int fStart = 0;
        int fValue = 0;
        while (p < limit) {
            int eol = lineEnd(data, p, limit);
            if (stop.stopsAt(p, eol)) {
                // RFC 2046 5.1.1: the line break before the delimiter is the delimiter's
                int cut = p;
                if (cut > start && data[cut - 1] == '\n') {
                    cut--;
                    if (cut > start && data[cut - 1] == '\r') {
                        cut--;
                    }
                }
                if (name != null) {
                    fields.add(new Field(name, fStart, fValue, Math.max(cut, fValue)));
                }
                return new Header(data, start, cut, cut, List.copyOf(fields));
            }
            boolean blank = data[p] == '\n' || (data[p] == '\r' && p + 1 < limit && data[p + 1] == '\n');
            if (blank) {
                if (name != null) {
                    fields.add(new Field(name, fStart, fValue, p));
                }
                return new Header(data, start, p, eol, List.copyOf(fields));
            }
            boolean continuation = (data[p] == ' ' || data[p] == '\t') && name != null;
            if (!continuation) {
                if (name != null) {
                    fields.add(new Field(name, fStart, fValue, p));
                }
                fStart = p;
                int colon = -1;
                for (int i = p; i < eol; i++) {
                    if (data[i] == ':') {
                        colon = i;
                        break;
                    }
                }
                if (colon < 0) {
                    name = "";
                    fValue = p;
                } else {
                    int ne = colon;
                    while (ne > p && (data[ne - 1] == ' ' || data[ne - 1] == '\t')) {
                        ne--;
                    }
                    name = new String(data, p, ne - p, StandardCharsets.ISO_8859_1);
                    fValue = colon + 1;
                }
            }
            p = eol;
        }
        if (name != null) {
            fields.add(new Field(name, fStart, fValue, limit));
        }
        return new Header(data, start, limit, limit, List.copyOf(fields));
    }

    /** The index just after the LF ending the line that starts at {@code p}, or {@code limit}. */
    static int lineEnd(byte[] data, int p, int limit) {
        for (int i = p; i < limit; i++) {
            if (data[i] == '\n') {
                return i + 1;
            }
        }
        return limit;
    }

    public int start() {
        return start;
    }

    /** The same header without its blank line (which then belongs to a MIME delimiter right after it). */
    Header withoutBlankLine() {
        return new Header(data, start, fieldsEnd, fieldsEnd, fields);
    }

    /** Where the terminating blank line starts (or the end of the entity when it has none). */
    public int fieldsEnd() {
        return fieldsEnd;
    }

    /** Just after the blank line: where the body starts. */
    public int end() {
        return end;
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first field of this name (case-insensitive), unfolded and trimmed, or null when absent. */
    public String value(String fieldName) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(fieldName)) {
                return unfolded(f);
            }
        }
        return null;
    }

    /** Every value of this field name, in header order, unfolded and trimmed. */
    public List<String> values(String fieldName) {
        List<String> out = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(fieldName)) {
                out.add(unfolded(f));
            }
        }
        return out;
    }

    /**
     * The value with CR and LF removed and surrounding white space trimmed: RFC 5322 2.2.3 unfolding,
     * which keeps the white space that followed the line break (Dovecot shows folded values the same way).
     */
    public String unfolded(Field f) {
        StringBuilder sb = new StringBuilder(f.end - f.valueStart);
        for (int i = f.valueStart; i < f.end; i++) {
            byte b = data[i];
            if (b != '\r' && b != '\n') {
                sb.append((char) (b & 0xff));
            }
        }
        int s = 0;
        int e = sb.length();
        while (s < e && isWsp(sb.charAt(s))) {
            s++;
        }
        while (e > s && isWsp(sb.charAt(e - 1))) {
            e--;
        }
        return sb.substring(s, e);
    }

    static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * HEADER.FIELDS / HEADER.FIELDS.NOT (RFC 3501 6.4.5): the complete fields whose names are (or, with
     * {@code exclude}, are not) in {@code names}, in message order, then the blank line, always.
     */
    public byte[] select(Collection<String> names, boolean exclude) {
        List<String> lower = new ArrayList<>(names.size());
        for (String n : names) {
            lower.add(n.toLowerCase(Locale.ROOT));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Field f : fields) {
            boolean listed = lower.contains(f.name.toLowerCase(Locale.ROOT));
            if (listed != exclude) {
                out.write(data, f.start, f.end - f.start);
                if (f.end > f.start && data[f.end - 1] != '\n') {
                    out.write('\r');
                    out.write('\n');
                }
            }
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
