package org.mailserver.imap.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * One ENVELOPE address (RFC 3501 7.4.2): {@code (name adl mailbox host)}, where a group start is
 * {@code (NIL NIL "group name" NIL)} and a group end {@code (NIL NIL NIL NIL)}. {@link #parseList} reads an
 * RFC 5322 3.4 address list leniently, as Dovecot does: comments are skipped (and used as the name of a
 * bare addr-spec), a missing local part or domain becomes {@code MISSING_MAILBOX} / {@code MISSING_DOMAIN},
 * obsolete routes become the adl. Encoded words are left as they are (RFC 3501 7.4.2). Never throws.
 */
public record Address(String name, String adl, String mailbox, String host) {

    public static final String MISSING_MAILBOX = "MISSING_MAILBOX";
    public static final String MISSING_DOMAIN = "MISSING_DOMAIN";

    public boolean isGroupStart() {
        return host == null && mailbox != null;
    }

    public boolean isGroupEnd() {
        return host == null && mailbox == null;
    }

    /** {@code mailbox@host}, or null for group markers. */
    public String addrSpec() {
        return host == null ? null : mailbox + "@" + host;
    }

    /** Parses a header value (ISO-8859-1 string of raw bytes); null or empty gives an empty list. */
    public static List<Address> parseList(String value) {
        List<Address> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        new Parser(value, out).list();
        return out;
    }

    private static final class Parser {
        private final String s;
        private final List<Address> out;
        private int pos;
        private String lastComment;
        private boolean invalid;

        Parser(String s, List<Address> out) {
            this.s = s;
            this.out = out;
        }

        /**
         * The list. As Dovecot does, an empty element followed by a comma is shown as an invalid address
         * ({@code MISSING_MAILBOX@MISSING_DOMAIN}), an empty last element is not.
         */
        void list() {
            while (pos < s.length()) {
                int before = out.size();
                int start = pos;
                address(true);
                skipCfws();
                char c = peek();
                if (c == ',') {
                    if (out.size() == before) {
                        out.add(new Address(null, null, MISSING_MAILBOX, MISSING_DOMAIN));
                    }
                    pos++;
                } else if (c == ';' || (pos == start && pos < s.length())) {
                    pos++; // a stray character: skip, never loop
                }
            }
        }

        /** One mailbox or (when allowed) group. */
        private void address(boolean groupAllowed) {
            lastComment = null;
            invalid = false;
            String phrase = phrase();
            if (invalid) {
                // Dovecot shows an address it cannot read as one invalid address
                skipToSeparator();
                out.add(new Address(null, null, MISSING_MAILBOX, MISSING_DOMAIN));
                return;
            }
            skipCfws();
            char c = peek();
            if (c == ':' && groupAllowed) {
                pos++;
                out.add(new Address(null, null, phrase, null));
                // inside a group every empty element is an invalid address, except in an empty group
                for (int index = 0; ; index++) {
                    skipCfws();
                    int before = out.size();
                    int start = pos;
                    if (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ';') {
                        address(false);
                        skipCfws();
                    }
                    if (pos >= s.length()) {
                        break;
                    }
                    boolean empty = out.size() == before;
                    char d = s.charAt(pos);
                    if (d == ',') {
                        if (empty) {
                            out.add(new Address(null, null, MISSING_MAILBOX, MISSING_DOMAIN));
                        }
                        pos++;
                    } else if (d == ';') {
                        if (empty && index > 0) {
                            out.add(new Address(null, null, MISSING_MAILBOX, MISSING_DOMAIN));
                        }
                        pos++;
                        break;
                    } else if (pos == start) {
                        pos++; // a stray character
                    }
                }
                out.add(new Address(null, null, null, null));
                return;
            }
            if (c == '<') {
                pos++;
                angle(phrase.isEmpty() ? null : phrase);
                return;
            }
            // addr-spec: the phrase read so far was the local part (dots included)
            String local = phrase;
            String domain = null;
            if (c == '@') {
                pos++;
                domain = domain();
            }
            if (local.isEmpty() && domain == null) {
                return;
            }
            String name = lastComment;
            out.add(new Address(name, null, local.isEmpty() ? MISSING_MAILBOX : local,
                domain == null || domain.isEmpty() ? MISSING_DOMAIN : domain));
        }

        private void angle(String name) {
            skipCfws();
            String adl = null;
            if (peek() == '@') {
                int start = pos;
                while (pos < s.length() && s.charAt(pos) != ':' && s.charAt(pos) != '>') {
                    pos++;
                }
                if (peek() == ':') {
                    adl = s.substring(start, pos).replaceAll("[ \\t]", "");
                    pos++;
                } else {
                    pos = start;
                }
            }
            String local = localPart();
            skipCfws();
            String domain = null;
            if (peek() == '@') {
                pos++;
                domain = domain();
            }
            skipCfws();
            while (pos < s.length() && s.charAt(pos) != '>' && s.charAt(pos) != ',') {
                pos++;
            }
            if (peek() == '>') {
                pos++;
            }
            skipToSeparator(); // text after the angle address is ignored, as Dovecot does
            out.add(new Address(name, adl, local.isEmpty() ? MISSING_MAILBOX : local,
                domain == null || domain.isEmpty() ? MISSING_DOMAIN : domain));
        }

        /** Skips to the next top-level {@code ,} or {@code ;} (or the end), over quoted strings and comments. */
        private void skipToSeparator() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ',' || c == ';') {
                    return;
                } else if (c == '"') {
                    quoted();
                } else if (c == '(') {
                    comment();
                } else {
                    pos++;
                }
            }
        }

        /** Words (atoms, quoted strings, dots) up to a special; words separated by white space get one space. */
        private String phrase() {
            StringBuilder sb = new StringBuilder();
            boolean space = false;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    space = true;
                    pos++;
                } else if (c == '(') {
                    String comment = comment();
                    if (lastComment == null) {
                        lastComment = comment.strip();
                    }
                    space = true;
                } else if (c == '"') {
                    if (space && sb.length() > 0) {
                        sb.append(' ');
                    }
                    space = false;
                    sb.append(quoted());
                } else if (c == '<' || c == '>' || c == ',' || c == ';' || c == ':' || c == '@') {
                    break;
                } else {
                    if (space && sb.length() > 0) {
                        sb.append(' ');
                    }
                    space = false;
                    int start = pos;
                    while (pos < s.length() && !isSpecialOrSpace(s.charAt(pos))) {
                        pos++;
                    }
                    sb.append(s, start, pos);
                    if (pos == start) {
                        invalid = true; // '[', ']' or '\\' outside a quoted string
                        pos++;
                    }
                }
            }
            if (lastComment != null && lastComment.isEmpty()) {
                lastComment = null;
            }
            return sb.toString();
        }

        private String localPart() {
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                skipCfws();
                char c = peek();
                if (c == '"') {
                    sb.append(quoted());
                } else if (c == 0 || isSpecialOrSpace(c)) {
                    break;
                } else {
                    int start = pos;
                    while (pos < s.length() && !isSpecialOrSpace(s.charAt(pos))) {
                        pos++;
                    }
                    sb.append(s, start, pos);
                }
            }
            return sb.toString();
        }

        private String domain() {
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                skipCfws();
                char c = peek();
                if (c == '[') {
                    int end = s.indexOf(']', pos);
                    end = end < 0 ? s.length() : end + 1;
                    sb.append(s, pos, end);
                    pos = end;
                } else if (c == 0 || isSpecialOrSpace(c)) {
                    break;
                } else {
                    int start = pos;
                    while (pos < s.length() && !isSpecialOrSpace(s.charAt(pos))) {
                        pos++;
                    }
                    sb.append(s, start, pos);
                }
            }
            return sb.toString();
        }

        private static boolean isSpecialOrSpace(char c) {
            return c <= ' ' || "()<>,;:@\"[]\\".indexOf(c) >= 0;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private void skipCfws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    pos++;
                } else if (c == '(') {
                    String comment = comment();
                    if (lastComment == null && !comment.isBlank()) {
                        lastComment = comment.strip();
                    }
                } else {
                    return;
                }
            }
        }

        private String comment() {
            ContentType.Lexer lx = new ContentType.Lexer(s);
            lx.pos = pos;
            String text = lx.comment();
            pos = lx.pos;
            return text;
        }

        private String quoted() {
            ContentType.Lexer lx = new ContentType.Lexer(s);
            lx.pos = pos;
            String text = lx.quoted();
            pos = lx.pos;
            return text;
        }
    }
}
