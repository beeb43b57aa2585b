package org.mailserver.imap.mime;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import org.mailserver.imap.fetch.UnknownCteException;

/**
 * BINARY[section] content (RFC 3516 4.2): the section with its Content-Transfer-Encoding removed. For a
 * leaf part that is its decoded body. For the whole message, a multipart or a message/rfc822 part, every
 * base64 or quoted-printable leaf inside is decoded in place and its Content-Transfer-Encoding field
 * is replaced by {@code binary} at the end of its header, other bytes unchanged: the same bytes Dovecot returns, so sizes agree across
 * servers sharing a Maildir. A part that does not exist is empty. An encoding we cannot decode anywhere in
 * the section raises {@link UnknownCteException} (RFC 3516 4.3: NO [UNKNOWN-CTE]). Thread-safe.
 */
public final class BinaryDecoder {

    private static final byte[] CTE_BINARY = "Content-Transfer-Encoding: binary\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private BinaryDecoder() {
    }

    public static byte[] decode(MimePart root, List<Integer> path) throws UnknownCteException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(root.data().length);
        if (path.isEmpty()) {
            entity(root, out);
            return out.toByteArray();
        }
        MimePart p = SectionExtractor.resolve(root, path);
        if (p == null) {
            return new byte[0];
        }
        checkContainer(p);
        if (p.isMultipart()) {
            multipartBody(p, out);
        } else if (p.message() != null) {
            entity(p.message(), out);
            out.write(p.data(), p.message().bodyEnd(), p.bodyEnd() - p.message().bodyEnd());
        } else {
            return leafBody(p);
        }
        return out.toByteArray();
    }

    /**
     * Refuses what Dovecot refuses too: a Content-Transfer-Encoding field with no value, and any encoding
     * we do not know, also on a multipart or message/rfc822 (whose content is copied as it is even when it
     * claims base64 or quoted-printable, which RFC 2045 6.4 forbids there).
     */
    private static void checkContainer(MimePart p) throws UnknownCteException {
        String raw = p.header().value("Content-Transfer-Encoding");
        if (raw != null && new ContentType.Lexer(raw).token().isEmpty()) {
            throw new UnknownCteException("empty Content-Transfer-Encoding");
        }
        if (TransferDecoding.decode(new byte[0], p.transferEncoding()) == null) {
            throw new UnknownCteException("unknown Content-Transfer-Encoding " + p.transferEncoding());
        }
    }

    /** The decoded body of a leaf part. */
    private static byte[] leafBody(MimePart p) throws UnknownCteException {
        checkContainer(p);
        byte[] decoded = TransferDecoding.decode(p.bodyBytes(), p.transferEncoding());
        if (decoded == null) {
            throw new UnknownCteException("unknown Content-Transfer-Encoding " + p.transferEncoding());
        }
        return decoded;
    }

    /** Header and body of an entity, with encoded leaves decoded. */
    private static void entity(MimePart p, ByteArrayOutputStream out) throws UnknownCteException {
        checkContainer(p);
        byte[] data = p.data();
        String cte = p.transferEncoding().toLowerCase(Locale.ROOT);
        boolean encoded = cte.equals("base64") || cte.equals("quoted-printable");
        boolean leaf = !p.isMultipart() && p.message() == null;
        if (encoded && leaf && p.bodySize() > 0) {
            // the encoding is removed: the field goes, "binary" is added last, where Dovecot puts it
            // (a multipart or message/rfc822 claiming an encoding, and an empty leaf, are left as they are)
            Header h = p.header();
            for (Header.Field f : h.fields()) {
                if (!f.name().equalsIgnoreCase("Content-Transfer-Encoding")) {
                    out.write(data, f.start(), f.end() - f.start());
                }
            }
            out.writeBytes(CTE_BINARY);
            out.write(data, h.fieldsEnd(), h.end() - h.fieldsEnd());
        } else {
            out.write(data, p.start(), p.bodyStart() - p.start());
        }
        if (p.isMultipart()) {
            multipartBody(p, out);
        } else if (p.message() != null) {
            entity(p.message(), out);
            out.write(data, p.message().bodyEnd(), p.bodyEnd() - p.message().bodyEnd()); // see MimeParser's header-cut quirk
        } else {
            out.writeBytes(leafBody(p));
        }
    }

    /** The body of a multipart: preamble, delimiters and epilogue as they are, the parts rewritten. */
    private static void multipartBody(MimePart p, ByteArrayOutputStream out) throws UnknownCteException {
        byte[] data = p.data();
        int pos = p.bodyStart();
        for (MimePart child : p.children()) {
            out.write(data, pos, child.start() - pos);
            entity(child, out);
            pos = child.bodyEnd();
        }
        out.write(data, pos, p.bodyEnd() - pos);
    }
}
