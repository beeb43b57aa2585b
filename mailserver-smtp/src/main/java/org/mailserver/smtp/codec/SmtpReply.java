package org.mailserver.smtp.codec;

import java.util.List;

/**
 * One SMTP reply: a three-digit code, an optional RFC 3463 enhanced status code and one or more
 * text lines. {@link SmtpReplyEncoder} writes it as {@code code-text} continuation lines and a final
 * {@code code text} line (RFC 5321 4.2.1).
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("bad reply code " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs a line");
        }
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    /** A reply without an enhanced status code (greeting, EHLO, 354, 334). */
    public static SmtpReply plain(int code, String text) {
        return new SmtpReply(code, null, List.of(text));
    }

    public boolean positive() {
        return code < 400;
    }

    public boolean permanent() {
        return code >= 500;
    }

    /** The first line as it appears on the wire, for logs. */
    public String summary() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + lines.get(0);
    }

    @Override
    public String toString() {
        return summary();
    }
}
