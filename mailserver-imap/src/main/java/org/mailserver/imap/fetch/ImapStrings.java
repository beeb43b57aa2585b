package org.mailserver.imap.fetch;

import java.nio.charset.StandardCharsets;

/**
 * Encodes strings for server responses (RFC 3501 4.3, 4.5; RFC 3516 literal8): quoted when short and
 * plain, a literal otherwise. Shared by the protocol layer and the MIME renderer so both choose alike.
 */
public final class ImapStrings {
    /** Quoted strings longer than this become literals (keeps response lines short for clients). */
    private static final int MAX_QUOTED = 1024;

    private ImapStrings() {
    }

    /** An nstring: {@code NIL} for null, else {@link #string}. */
    public static String nstring(String value, boolean utf8) {
        return value == null ? "NIL" : string(value, utf8);
    }

    /**
     * A string: quoted (with {@code \} escapes for {@code "} and {@code \}) when it has no CR, LF or NUL, is
     * not too long and is ASCII (or UTF8=ACCEPT is on); else a literal {@code {n}\r\n...} of its UTF-8 bytes.
     */
    public static String string(String value, boolean utf8) {
        if (canQuote(value, utf8)) {
            return quote(value);
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return "{" + bytes.length + "}\r\n" + value;
    }

    public static boolean canQuote(String value, boolean utf8) {
        if (value.length() > MAX_QUOTED) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || (c >= 0x80 && !utf8)) {
                return false;
            }
        }
        return true;
    }

    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** A literal {@code {n}\r\n} followed by the bytes. */
    public static byte[] literal(byte[] content) {
        return withPrefix("{" + content.length + "}\r\n", content);
    }

    /** A literal8 {@code ~{n}\r\n} followed by the bytes (RFC 3516 BINARY). */
    public static byte[] literal8(byte[] content) {
        return withPrefix("~{" + content.length + "}\r\n", content);
    }

    private static byte[] withPrefix(String prefix, byte[] content) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[p.length + content.length]; // one copy of the content, not a stream's two
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(content, 0, out, p.length, content.length);
        return out;
    }
}
