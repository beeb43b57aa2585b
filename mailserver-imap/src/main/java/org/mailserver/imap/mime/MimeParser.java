package org.mailserver.imap.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * A structural MIME parser over the raw message bytes (RFC 2045, RFC 2046 5.1, RFC 822 encapsulation)
 * that records the exact offsets FETCH BODY[section] needs. It never decodes and never fails: malformed
 * input gets the reading Dovecot gives it (an unterminated multipart ends at its parent's end, a multipart
 * with no part gets one empty text/plain part, a bad Content-Type becomes the default). Nesting deeper than
 * {@link #MAX_DEPTH} or more than {@link #MAX_PARTS} parts are treated as leaves, bounding work on hostile
 * input. Called by the content renderer and the search evaluator, on the blocking executor.
 */
public final class MimeParser {
    /** Deeper entities are not split further (Dovecot's message_max_nested_parts is similar). */
    public static final int MAX_DEPTH = 50;
    public static final int MAX_PARTS = 5000;

    private int parts;

    private MimeParser() {
    }

    /** Parses a whole message (CRLF line endings expected, bare LF tolerated). */
    public static MimePart parse(byte[] message) {
        return new MimeParser().entity(message, 0, message.length, ContentType.TEXT_PLAIN, 0);
    }

    private MimePart entity(byte[] data, int start, int end, ContentType dflt, int depth) {
        parts++;
        Header header = Header.parse(data, start, end);
        ContentType ct = ContentType.parseContentType(header.value("Content-Type"), dflt);
        boolean canSplit = depth < MAX_DEPTH && parts < MAX_PARTS;
        if (ct.isMultipart()) {
            ContentType childDefault = ct.subtype().equalsIgnoreCase("digest") ? ContentType.MESSAGE_RFC822 : ContentType.TEXT_PLAIN;
            // past the limits a multipart is not split: it gets the one empty part of a multipart without parts
            String boundary = canSplit ? ct.param("boundary") : null;
            List<MimePart> children = children(data, header.end(), end, boundary, childDefault, depth);
            return new MimePart(data, header, end, ct, children, null);
        }
        MimePart part = new MimePart(data, header, end, ct, List.of(), null);
        if (ct.is("message", "rfc822") && canSplit && isIdentity(part.transferEncoding())) {
            MimePart inner = entity(data, header.end(), end, ContentType.TEXT_PLAIN, depth + 1);
            return new MimePart(data, header, end, ct, List.of(), inner);
        }
        return part;
    }

    /** An encoded message/rfc822 body cannot be parsed in place; RFC 2046 5.2.1 forbids encoding it anyway. */
    private static boolean isIdentity(String cte) {
        return cte.equalsIgnoreCase("7bit") || cte.equalsIgnoreCase("8bit") || cte.equalsIgnoreCase("binary");
    }

    private List<MimePart> children(byte[] data, int start, int end, String boundary, ContentType dflt, int depth) {
        List<MimePart> out = new ArrayList<>();
        if (boundary != null && !boundary.isEmpty()) {
            byte[] delim = ("--" + boundary).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            int partStart = -1;
            int p = start;
            while (p < end) {
                int eol = Header.lineEnd(data, p, end);
                int kind = delimiter(data, p, eol, delim);
                if (kind != 0 && parts >= MAX_PARTS) {
                    break; // the rest, delimiters included, stays in the last part
                }
                if (kind != 0) {
                    if (partStart >= 0) {
                        // RFC 2046 5.1.1: the CRLF before a delimiter belongs to the delimiter.
                        int partEnd = p;
                        if (partEnd > partStart && data[partEnd - 1] == '\n') {
                            partEnd--;
                            if (partEnd > partStart && data[partEnd - 1] == '\r') {
                                partEnd--;
                            }
                        }
                        out.add(child(data, partStart, partEnd, p, dflt, depth + 1));
                    }
                    if (kind == 2) {
                        partStart = -1;
                        break;
                    }
                    partStart = eol;
                }
                p = eol;
            }
            if (partStart >= 0) {
                out.add(entity(data, partStart, end, dflt, depth + 1));
            }
        }
        if (out.isEmpty()) {
            out.add(entity(data, end, end, ContentType.TEXT_PLAIN, depth + 1));
        }
        return out;
    }

    /**
     * A part ending before a delimiter. When the part is itself a multipart whose close delimiter is its
     * last line, the line break after that close delimiter stays in the part: Dovecot counts it there and
     * clients compare sizes with what Dovecot reported, so we follow.
     */
    private MimePart child(byte[] data, int start, int end, int unstrippedEnd, ContentType dflt, int depth) {
        int mark = parts;
        MimePart part = entity(data, start, end, dflt, depth);
        if (end == unstrippedEnd || !part.isMultipart()) {
            return part;
        }
        String boundary = part.contentType().param("boundary");
        if (boundary == null) {
            return part;
        }
        byte[] close = ("--" + boundary + "--").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int lineStart = end;
        while (lineStart > start && data[lineStart - 1] != '\n') {
            lineStart--;
        }
        if (delimiter(data, lineStart, end, close) == 0) {
            return part;
        }
        parts = mark;
        return entity(data, start, unstrippedEnd, dflt, depth);
    }

    /** 0: not a delimiter line; 1: a delimiter; 2: the close delimiter. Trailing white space is allowed. */
    private static int delimiter(byte[] data, int p, int eol, byte[] delim) {
        if (eol - p < delim.length) {
            return 0;
        }
        for (int i = 0; i < delim.length; i++) {
            if (data[p + i] != delim[i]) {
                return 0;
            }
        }
        int q = p + delim.length;
        int kind = 1;
        if (q + 1 < eol && data[q] == '-' && data[q + 1] == '-') {
            kind = 2;
            q += 2;
        }
        for (; q < eol; q++) {
            byte b = data[q];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return 0;
            }
        }
        return kind;
    }
}
