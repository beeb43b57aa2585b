package org.mailserver.imap.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.FetchAttribute.Kind;
import org.mailserver.imap.fetch.FetchAttribute.Partial;
import org.mailserver.imap.fetch.FetchAttribute.Section;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;

/**
 * Parses FETCH data items (RFC 3501 6.4.5 and 9 fetch-att, RFC 3516 BINARY, RFC 7162 MODSEQ) into
 * {@link FetchAttribute}s, expanding the macros ALL, FAST and FULL.
 */
final class FetchParser {
    private FetchParser() {
    }

    static List<FetchAttribute> parse(RequestReader r) throws SyntaxException {
        List<FetchAttribute> out = new ArrayList<>();
        if (r.peekIs('(')) {
            r.expect('(');
            do {
                out.addAll(item(r, false));
            } while (r.acceptSp());
            r.expect(')');
        } else {
            out.addAll(item(r, true));
        }
        return out;
    }

    private static String name(RequestReader r) throws SyntaxException {
        StringBuilder sb = new StringBuilder();
        while (r.peek() >= 0 && (Character.isLetterOrDigit(r.peek()) || r.peek() == '.' || r.peek() == '-')) {
            sb.append((char) r.peek());
            r.accept((char) r.peek());
        }
        if (sb.length() == 0) {
            throw new SyntaxException("expected a fetch attribute");
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static List<FetchAttribute> item(RequestReader r, boolean macrosAllowed) throws SyntaxException {
        String name = name(r);
        switch (name) {
            case "ALL", "FAST", "FULL" -> {
                if (!macrosAllowed) {
                    throw new SyntaxException("macro " + name + " not allowed in a list");
                }
                List<FetchAttribute> m = new ArrayList<>(List.of(FetchAttribute.simple(Kind.FLAGS),
                    FetchAttribute.simple(Kind.INTERNALDATE), FetchAttribute.simple(Kind.RFC822_SIZE)));
                if (!name.equals("FAST")) {
                    m.add(FetchAttribute.simple(Kind.ENVELOPE));
                }
                if (name.equals("FULL")) {
                    m.add(FetchAttribute.simple(Kind.BODY));
                }
                return m;
            }
            case "FLAGS" -> { return List.of(FetchAttribute.simple(Kind.FLAGS)); }
            case "UID" -> { return List.of(FetchAttribute.simple(Kind.UID)); }
            case "INTERNALDATE" -> { return List.of(FetchAttribute.simple(Kind.INTERNALDATE)); }
            case "RFC822.SIZE" -> { return List.of(FetchAttribute.simple(Kind.RFC822_SIZE)); }
            case "MODSEQ" -> { return List.of(FetchAttribute.simple(Kind.MODSEQ)); }
            case "ENVELOPE" -> { return List.of(FetchAttribute.simple(Kind.ENVELOPE)); }
            case "BODYSTRUCTURE" -> { return List.of(FetchAttribute.simple(Kind.BODYSTRUCTURE)); }
            case "RFC822" -> { return List.of(new FetchAttribute(Kind.RFC822, null, null, false)); }
            case "RFC822.HEADER" -> { return List.of(FetchAttribute.simple(Kind.RFC822_HEADER)); }
            case "RFC822.TEXT" -> { return List.of(new FetchAttribute(Kind.RFC822_TEXT, null, null, false)); }
            case "BODY", "BODY.PEEK" -> {
                if (!r.peekIs('[')) {
                    if (name.equals("BODY.PEEK")) {
                        throw new SyntaxException("BODY.PEEK needs a section");
                    }
                    return List.of(FetchAttribute.simple(Kind.BODY));
                }
                Section section = section(r, false);
                return List.of(new FetchAttribute(Kind.BODY_SECTION, section, partial(r), name.equals("BODY.PEEK")));
            }
            case "BINARY", "BINARY.PEEK" -> {
                Section section = section(r, true);
                return List.of(new FetchAttribute(Kind.BINARY_SECTION, section, partial(r), name.equals("BINARY.PEEK")));
            }
            case "BINARY.SIZE" -> {
                return List.of(new FetchAttribute(Kind.BINARY_SIZE, section(r, true), null, true));
            }
            default -> throw new SyntaxException("unknown fetch attribute " + name);
        }
    }

    /** section = "[" [section-spec] "]"; BINARY sections are part numbers only (RFC 3516 section-binary). */
    private static Section section(RequestReader r, boolean binary) throws SyntaxException {
        r.expect('[');
        List<Integer> parts = new ArrayList<>();
        SectionText text = SectionText.NONE;
        List<String> fields = List.of();
        while (r.peek() >= '0' && r.peek() <= '9') {
            long n = r.number();
            if (n == 0 || n > Integer.MAX_VALUE) {
                throw new SyntaxException("invalid part number");
            }
            parts.add((int) n);
            if (!r.accept('.')) {
                break;
            }
        }
        if (!r.peekIs(']')) {
            if (binary) {
                throw new SyntaxException("BINARY takes part numbers only");
            }
            String t = name(r);
            switch (t) {
                case "HEADER" -> text = SectionText.HEADER;
                case "TEXT" -> text = SectionText.TEXT;
                case "MIME" -> {
                    if (parts.isEmpty()) {
                        throw new SyntaxException("MIME needs a part number");
                    }
                    text = SectionText.MIME;
                }
                case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                    text = t.equals("HEADER.FIELDS") ? SectionText.HEADER_FIELDS : SectionText.HEADER_FIELDS_NOT;
                    r.sp();
                    fields = r.list(RequestReader::astring);
                    if (fields.isEmpty()) {
                        throw new SyntaxException("empty header list");
                    }
                }
                default -> throw new SyntaxException("unknown section " + t);
            }
        }
        r.expect(']');
        return new Section(parts, text, fields);
    }

    private static Partial partial(RequestReader r) throws SyntaxException {
        if (!r.accept('<')) {
            return null;
        }
        long offset = r.number();
        r.expect('.');
        long length = r.number();
        if (length == 0) {
            throw new SyntaxException("partial length must be non-zero"); // RFC 3501 9: nz-number
        }
        r.expect('>');
        return new Partial(offset, length);
    }
}
