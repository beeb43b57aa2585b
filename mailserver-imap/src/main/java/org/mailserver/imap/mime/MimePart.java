package org.mailserver.imap.mime;

import java.util.List;

/**
 * One entity of a parsed message: its header, its body's exact byte range in the message, its content
 * type, and either its children (multipart) or the message it encapsulates (message/rfc822). The root of
 * a message is a MimePart whose header is the message header. Built by {@link MimeParser}; immutable;
 * holds a reference to the message bytes, never a copy.
 */
public final class MimePart {
    private final byte[] data;
    private final Header header;
    private final int bodyEnd;
    private final ContentType contentType;
    private final List<MimePart> children;
    private final MimePart message;

    MimePart(byte[] data, Header header, int bodyEnd, ContentType contentType, List<MimePart> children, MimePart message) {
        this.data = data;
        this.header = header;
        this.bodyEnd = bodyEnd;
        this.contentType = contentType;
        this.children = List.copyOf(children);
        this.message = message;
    }

    public byte[] data() {
        return data;
    }

    public Header header() {
        return header;
    }

    public int start() {
        return header.start();
    }

    public int bodyStart() {
        return header.end();
    }

    public int bodyEnd() {
        return bodyEnd;
    }

    public int bodySize() {
        return bodyEnd - header.end();
    }

    public ContentType contentType() {
        return contentType;
    }

    public boolean isMultipart() {
        return contentType.isMultipart();
    }

    /** The parts of a multipart (never empty for a multipart), else empty. */
    public List<MimePart> children() {
        return children;
    }

    /** The encapsulated message of a message/rfc822 part, else null. */
    public MimePart message() {
        return message;
    }

    /** The body's line count as IMAP counts it (RFC 3501 7.4.2 body-fld-lines): the number of LFs. */
    public int bodyLines() {
        int n = 0;
        for (int i = header.end(); i < bodyEnd; i++) {
            if (data[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The Content-Transfer-Encoding token as sent, or {@code 7bit} (RFC 2045 6.1). */
    public String transferEncoding() {
        String cte = header.value("Content-Transfer-Encoding");
        if (cte == null) {
            return "7bit";
        }
        String token = new ContentType.Lexer(cte).token();
        return token.isEmpty() ? "7bit" : token;
    }

    public byte[] bodyBytes() {
        return java.util.Arrays.copyOfRange(data, header.end(), bodyEnd);
    }
}
