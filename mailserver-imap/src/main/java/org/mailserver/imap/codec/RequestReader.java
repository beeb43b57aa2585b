package org.mailserver.imap.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the arguments of one {@link ImapRequest} by the RFC 3501 section 9 grammar, on demand: each command
 * asks for what it expects next ({@link #astring()}, {@link #sp()}, {@link #list}...). A literal is read where a
 * string is allowed and the current line ends with its marker. Every mismatch throws {@link SyntaxException}
 * (answered BAD). Not thread-safe; used by one command on the event loop.
 */
public final class RequestReader {

    private final ImapRequest request;
    private int line;
    private int pos;

    public RequestReader(ImapRequest request) {
        this.request = request;
    }

    public ImapRequest request() {
        return request;
    }

    private String text() {
        return request.lines().get(line);
    }

    /** True when every argument has been read. */
    public boolean atEnd() {
        return line == request.lines().size() - 1 && pos >= text().length();
    }

    public void end() throws SyntaxException {
        if (!atEnd()) {
            throw new SyntaxException("unexpected characters at end of command: " + abbreviate(text().substring(Math.min(pos, text().length()))));
        }
    }

    public int peek() {
        return pos < text().length() ? text().charAt(pos) : -1;
    }

    public boolean peekIs(char c) {
        return peek() == c;
    }

    /** Consumes c if it is next. */
    public boolean accept(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    public void expect(char c) throws SyntaxException {
        if (!accept(c)) {
            throw new SyntaxException("expected '" + c + "'");
        }
    }

    public void sp() throws SyntaxException {
        if (!accept(' ')) {
            throw new SyntaxException("expected a space");
        }
    }

    /** Consumes a space if one follows (optional arguments). */
    public boolean acceptSp() {
        return accept(' ');
    }

    /** The rest of the current line, verbatim (for continuation lines). */
    public String rest() {
        String r = text().substring(pos);
        pos = text().length();
        return r;
    }

    /** RFC 3501 tag: 1*&lt;ASTRING-CHAR except "+"&gt;. */
    public String tag() throws SyntaxException {
        int start = pos;
        while (pos < text().length() && isAstringChar(text().charAt(pos)) && text().charAt(pos) != '+') {
            pos++;
        }
        if (start == pos) {
            throw new SyntaxException("missing tag");
        }
        return text().substring(start, pos);
    }

    /** An atom (RFC 3501 ATOM-CHAR run). */
    public String atom() throws SyntaxException {
        int start = pos;
        while (pos < text().length() && isAtomChar(text().charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new SyntaxException("expected an atom");
        }
        return text().substring(start, pos);
    }

    /** Characters up to the next space, parenthesis or end of line; for sequence sets, numbers, date-times... */
    public String word() throws SyntaxException {
        int start = pos;
        while (pos < text().length() && " ()".indexOf(text().charAt(pos)) < 0) {
            pos++;
        }
        if (start == pos) {
            throw new SyntaxException("expected an argument");
        }
        return text().substring(start, pos);
    }

    public long number() throws SyntaxException {
        int start = pos;
        while (pos < text().length() && Character.isDigit(text().charAt(pos))) {
            pos++;
        }
        if (start == pos || pos - start > 20) {
            throw new SyntaxException("expected a number");
        }
        try {
            return Long.parseLong(text().substring(start, pos));
        } catch (NumberFormatException e) {
            throw new SyntaxException("number out of range");
        }
    }

    /** astring = 1*ASTRING-CHAR / string. */
    public String astring() throws SyntaxException {
        int c = peek();
        if (c == '"' || c == '{' || c == '~') {
            return string();
        }
        int start = pos;
        while (pos < text().length() && isAstringChar(text().charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new SyntaxException("expected a string");
        }
        return text().substring(start, pos);
    }

    /** A list-mailbox (RFC 3501): list-chars (atom chars plus % * ]) or a string. */
    public String listMailbox() throws SyntaxException {
        int c = peek();
        if (c == '"' || c == '{') {
            return string();
        }
        int start = pos;
        while (pos < text().length() && (isAstringChar(text().charAt(pos)) || "%*".indexOf(text().charAt(pos)) >= 0)) {
            pos++;
        }
        if (start == pos) {
            throw new SyntaxException("expected a mailbox pattern");
        }
        return text().substring(start, pos);
    }

    /** nstring: NIL or a string. */
    public String nstring() throws SyntaxException {
        if (peekWord("NIL")) {
            pos += 3;
            return null;
        }
        return string();
    }

    /** string = quoted / literal. */
    public String string() throws SyntaxException {
        if (peek() == '"') {
            return quoted();
        }
        return literal().asString();
    }

    /** A literal (or literal8) whose marker ends the current line; moves to the next line. */
    public Literal literal() throws SyntaxException {
        String t = text();
        int start = pos;
        if (peek() == '~') {
            pos++;
        }
        if (peek() != '{' || !t.endsWith("}") || line >= request.literals().size()
            || ImapRequestDecoder.Marker.parse(t.substring(start)) == null) {
            throw new SyntaxException("expected a string");
        }
        Literal lit = request.literals().get(line);
        line++;
        pos = 0;
        return lit;
    }

    /** True when a literal marker starts here. */
    public boolean atLiteral() {
        int c = peek();
        return (c == '{' || c == '~') && line < request.literals().size()
            && ImapRequestDecoder.Marker.parse(text().substring(pos)) != null;
    }

    private String quoted() throws SyntaxException {
        expect('"');
        StringBuilder sb = new StringBuilder();
        String t = text();
        while (pos < t.length()) {
            char c = t.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= t.length()) {
                    break;
                }
                char e = t.charAt(pos++);
                if (e != '"' && e != '\\') {
                    throw new SyntaxException("bad escape in quoted string");
                }
                sb.append(e);
            } else {
                sb.append(c);
            }
        }
        throw new SyntaxException("unterminated quoted string");
    }

    /** A parenthesised list of items read by the given reader, separated by single spaces; "()" is empty. */
    public <T> List<T> list(ItemReader<T> item) throws SyntaxException {
        expect('(');
        List<T> out = new ArrayList<>();
        if (accept(')')) {
            return out;
        }
        do {
            out.add(item.read(this));
        } while (accept(' '));
        expect(')');
        return out;
    }

    /** A flag: {@code \Atom} or a keyword atom. */
    public String flag() throws SyntaxException {
        if (accept('\\')) {
            if (accept('*')) {
                return "\\*";
            }
            return "\\" + atom();
        }
        return atom();
    }

    /** Case-insensitive lookahead for a keyword followed by a delimiter. */
    public boolean peekWord(String word) {
        String t = text();
        if (!t.regionMatches(true, pos, word, 0, word.length())) {
            return false;
        }
        int after = pos + word.length();
        return after >= t.length() || !isAtomChar(t.charAt(after)) || t.charAt(after) == '[';
    }

    /** Consumes the keyword (case-insensitive) if it follows. */
    public boolean acceptWord(String word) {
        if (peekWord(word)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    public static boolean isAtomChar(char c) {
        return c > 0x20 && c != 0x7f && "(){ %*\"\\]".indexOf(c) < 0;
    }

    /** ASTRING-CHAR = ATOM-CHAR / resp-specials ("]"). */
    public static boolean isAstringChar(char c) {
        return isAtomChar(c) || c == ']';
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Reads one list element. */
    @FunctionalInterface
    public interface ItemReader<T> {
        T read(RequestReader reader) throws SyntaxException;
    }
}
