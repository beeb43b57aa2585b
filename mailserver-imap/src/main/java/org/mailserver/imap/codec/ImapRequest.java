package org.mailserver.imap.codec;

import java.util.List;

/**
 * One complete client command as the decoder framed it: its text lines (without CRLF) and the literals
 * between them. {@code lines.get(i)} ends with the literal marker ({@code {n}}, {@code {n+}} or
 * {@code ~{n}}) of {@code literals.get(i)}; there is always one more line than literals. Continuation
 * lines (AUTHENTICATE responses, IDLE's DONE) arrive as requests with one line.
 */
public record ImapRequest(List<String> lines, List<Literal> literals) {

    public ImapRequest {
        lines = List.copyOf(lines);
        literals = List.copyOf(literals);
    }

    public static ImapRequest line(String line) {
        return new ImapRequest(List.of(line), List.of());
    }

    /** The tag (text up to the first space of the first line), for error replies; {@code *} when absent. */
    public String tagOrStar() {
        return tagOf(lines.get(0));
    }

    static String tagOf(String line) {
        int sp = line.indexOf(' ');
        String tag = sp < 0 ? line : line.substring(0, sp);
        return tag.isEmpty() || tag.length() > 64 ? "*" : tag;
    }

    /** Deletes spooled literals. */
    public void release() {
        literals.forEach(Literal::release);
    }
}
