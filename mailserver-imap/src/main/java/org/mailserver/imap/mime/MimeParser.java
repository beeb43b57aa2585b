package org.mailserver.imap.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A structural MIME parser over the raw message bytes (RFC 2045, RFC 2046 5.1, RFC 822 encapsulation)
 * that records the exact offsets FETCH BODY[section] needs. It reads like Dovecot's message parser, so
 * that part numbers, sizes and line counts agree with Dovecot's for the same bytes (tested against it):
 * <ul>
 * <li>one pass, keeping the stack of enclosing boundaries; a line starting with {@code --boundary} of any
 *     enclosing multipart ends the current entity, the innermost boundary winning (leniency shared with
 *     Dovecot: RFC 2046 5.1.1 allows only white space after the boundary, we accept any text);</li>
 * <li>the line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1), except when it ends a
 *     header line (a part cut off inside its header keeps it) or a close delimiter line;</li>
 * <li>an unterminated multipart ends where an enclosing one continues; a multipart without parts gets one
 *     empty text/plain part; a bad Content-Type becomes the default; message/rfc822 is parsed whatever its
 *     Content-Transfer-Encoding claims.</li>
 * </ul>
 * It never decodes and never fails. Nesting deeper than {@link #MAX_DEPTH} or more than {@link #MAX_PARTS}
 * parts are not split further, bounding work on hostile input. Called by the content renderer and the
 * search evaluator, on the blocking executor; a new parser per message.
 */
public final class MimeParser {
    /** Deeper entities are not split further (Dovecot's message_max_nested_parts is similar). */
    public static final int MAX_DEPTH = 50;
    public static final int MAX_PARTS = 5000;

    private final byte[] data;
    private final List<byte[]> boundaries = new ArrayList<>(); // "--boundary", outermost first
    private int parts;

    private MimeParser(byte[] data) {
        this.data = data;
    }

    /** Parses a whole message (CRLF line endings expected, bare LF tolerated). */
    public static MimePart parse(byte[] message) {
        return new MimeParser(message).entity(0, ContentType.TEXT_PLAIN, 0).part;
    }

    /**
     * An entity and where it stopped: {@code stop} is the start of the delimiter line that ended it (or the
     * end of the data), {@code level} the index of that delimiter's boundary in the stack (-1 at the end).
     */
    private record Parsed(MimePart part, int stop, int level, boolean close, boolean headerCut) {
        Parsed(MimePart part, int stop, int level, boolean close) {
            this(part, stop, level, close, false);
        }
    }

    private Parsed entity(int start, ContentType dflt, int depth) {
        parts++;
        int[] hit = new int[] {-1, 0, 0}; // boundary level, close, delimiter line start
        Header header = Header.parse(data, start, data.length, (ls, le) -> {
            int level = delimiter(ls, le);
            if (level >= 0) {
                hit[0] = level;
                hit[1] = isClose(ls, le, level) ? 1 : 0;
                hit[2] = ls;
                return true;
            }
            return false;
        });
        boolean blankLineCut = false;
        if (hit[0] < 0 && header.end() > header.fieldsEnd() && header.end() < data.length
            && delimiter(header.end(), Header.lineEnd(data, header.end(), data.length)) >= 0) {
            // A blank line right before an enclosing delimiter is the delimiter's line break (RFC 2046 5.1.1):
            // the header ends without it and the body is empty (Dovecot reads it so too).
            header = header.withoutBlankLine();
            blankLineCut = true;
        }
        ContentType ct = ContentType.parseContentType(header.value("Content-Type"), dflt);
        if (hit[0] >= 0) {
            // cut off inside the header by an enclosing delimiter: no body
            MimePart inner = ct.is("message", "rfc822") ? empty(header.end()) : null; // an empty message, as Dovecot shows it
            MimePart part = new MimePart(data, header, header.end(), ct, ct.isMultipart() ? List.of(empty(header.end())) : List.of(), inner);
            return new Parsed(part, hit[2], hit[0], hit[1] == 1, true);
        }
        boolean canSplit = depth < MAX_DEPTH && parts < MAX_PARTS;
        if (ct.isMultipart()) {
            String boundary = ct.param("boundary");
            if (canSplit && boundary != null && !boundary.isEmpty()) {
                Parsed mp = multipart(header, ct, boundary, depth);
                return new Parsed(mp.part, mp.stop, mp.level, mp.close, blankLineCut);
            }
            Parsed body = leafBody(header.end());
            int end = trimmed(header.end(), body.stop, body.level);
            return new Parsed(new MimePart(data, header, end, ct, List.of(empty(end)), null), body.stop, body.level, body.close,
                blankLineCut);
        }
        if (ct.is("message", "rfc822") && canSplit) {
            Parsed inner = entity(header.end(), ContentType.TEXT_PLAIN, depth + 1);
            // Dovecot quirk kept for equal sizes: a message cut off inside its header leaves the line break
            // before the delimiter in the message/rfc822 part's body (not in the message's header).
            int end = inner.headerCut ? inner.stop : inner.part.bodyEnd();
            MimePart part = new MimePart(data, header, end, ct, List.of(), inner.part);
            return new Parsed(part, inner.stop, inner.level, inner.close, false);
        }
        Parsed body = leafBody(header.end());
        return new Parsed(new MimePart(data, header, trimmed(header.end(), body.stop, body.level), ct,
            List.of(), null), body.stop, body.level, body.close, blankLineCut);
    }

    private Parsed multipart(Header header, ContentType ct, String boundary, int depth) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        boundaries.add(delim);
        int own = boundaries.size() - 1;
        ContentType childDefault = ct.subtype().equalsIgnoreCase("digest") ? ContentType.MESSAGE_RFC822 : ContentType.TEXT_PLAIN;
        List<MimePart> children = new ArrayList<>();
        Parsed at = leafBody(header.end()); // the preamble
        int bodyEnd;
        while (true) {
            if (at.level != own) {
                // the data or an enclosing multipart ended first: unterminated; the CRLF goes to that delimiter
                // (a last part cut off in its header leaves that line break in the multipart, as Dovecot counts it)
                bodyEnd = children.isEmpty() ? trimmed(header.end(), at.stop, at.level)
                    : at.headerCut ? at.stop : children.get(children.size() - 1).bodyEnd();
                break;
            }
            if (at.close) {
                // epilogue: up to an enclosing delimiter or the end
                int lineEnd = Header.lineEnd(data, at.stop, data.length);
                boundaries.remove(own);
                Parsed epilogue = leafBody(lineEnd);
                boundaries.add(delim);
                bodyEnd = trimmed(lineEnd, epilogue.stop, epilogue.level);
                at = epilogue;
                break;
            }
            if (parts >= MAX_PARTS) {
                // stop splitting: the rest stays in the last part
                boundaries.remove(own);
                Parsed rest = leafBody(Header.lineEnd(data, at.stop, data.length));
                boundaries.add(delim);
                bodyEnd = trimmed(header.end(), rest.stop, rest.level);
                at = rest;
                break;
            }
            Parsed child = entity(Header.lineEnd(data, at.stop, data.length), childDefault, depth + 1);
            children.add(child.part);
            at = child;
        }
        boundaries.remove(own);
        if (children.isEmpty()) {
            children.add(empty(bodyEnd));
        }
        MimePart part = new MimePart(data, header, Math.max(bodyEnd, header.end()), ct, children, null);
        return new Parsed(part, at.stop, at.level, at.close);
    }

    /** A leaf body from {@code start}: runs to the first delimiter line of any enclosing multipart. */
    private Parsed leafBody(int start) {
        int p = start;
        while (p < data.length) {
            int eol = Header.lineEnd(data, p, data.length);
            int level = delimiter(p, eol);
            if (level >= 0) {
                return new Parsed(null, p, level, isClose(p, eol, level));
            }
            p = eol;
        }
        return new Parsed(null, data.length, -1, false);
    }

    /** The end of a body stopped by a delimiter at {@code stop}: the line break before it is the delimiter's. */
    private int trimmed(int bodyStart, int stop, int level) {
        if (level < 0) {
            return stop;
        }
        int end = stop;
        if (end > bodyStart && data[end - 1] == '\n') {
            end--;
            if (end > bodyStart && data[end - 1] == '\r') {
                end--;
            }
        }
        return end;
    }

    private MimePart empty(int at) {
        return new MimePart(data, Header.parse(data, at, at), at, ContentType.TEXT_PLAIN, List.of(), null);
    }

    /** The index of the innermost boundary whose delimiter starts this line, or -1. */
    private int delimiter(int p, int eol) {
        if (eol - p < 2 || data[p] != '-' || data[p + 1] != '-') {
            return -1;
        }
        for (int level = boundaries.size() - 1; level >= 0; level--) {
            byte[] d = boundaries.get(level);
            if (eol - p >= d.length && java.util.Arrays.equals(data, p, p + d.length, d, 0, d.length)) {
                return level;
            }
        }
        return -1;
    }

    private boolean isClose(int p, int eol, int level) {
        int q = p + boundaries.get(level).length;
        return q + 1 < eol && data[q] == '-' && data[q + 1] == '-';
    }
}
