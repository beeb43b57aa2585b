package org.mailserver.imap.search;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.mailserver.imap.mime.Header;
import org.mailserver.imap.mime.HeaderDecoder;
import org.mailserver.imap.mime.MessageLoader;
import org.mailserver.imap.mime.HeaderSummary;
import org.mailserver.imap.mime.MimePart;
import org.mailserver.imap.mime.TransferDecoding;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageException;

/**
 * What SEARCH, SORT and THREAD read of one message, loaded lazily and cheapest first: the metadata, then
 * the cached {@link HeaderSummary} header fields (no file opened when the cache is warm), then the
 * parsed message only for keys that need it (BODY, TEXT, HEADER of an uncached field). One instance per
 * message per command (SORT, THREAD) or one {@link #reset} per message (SEARCH); not thread-safe.
 */
final class MessageFacts {
    private final Mailbox mailbox;
    private MessageMeta meta;
    private Header cachedHeader;
    private MimePart root;
    private String bodyText;

    MessageFacts(Mailbox mailbox, MessageMeta meta) {
        this.mailbox = mailbox;
        this.meta = meta;
    }

    /** Makes this instance describe another message of the same mailbox (a SEARCH reuses one instance). */
    MessageFacts reset(MessageMeta next) {
        meta = next;
        cachedHeader = null;
        root = null;
        bodyText = null;
        return this;
    }

    MessageMeta meta() {
        return meta;
    }

    /** The header to read {@code field} from: the cached fields when they include it, else the message's. */
    Header headerFor(String field) throws StorageException {
        if (HeaderSummary.covers(List.of(field))) {
            if (cachedHeader == null) {
                cachedHeader = MessageLoader.header(mailbox, meta.uid()).header();
            }
            return cachedHeader;
        }
        return root().header();
    }

    /** The first value of a header field, raw (unfolded), or null. */
    String raw(String field) throws StorageException {
        return headerFor(field).value(field);
    }

    MimePart root() throws StorageException {
        if (root == null) {
            root = MessageLoader.parsed(mailbox, meta.uid()).root();
        }
        return root;
    }

    /** The sent date in UTC (Date: header), or the internal date when it is missing or unreadable (RFC 5256 2.2). */
    Instant sentInstant() throws StorageException {
        OffsetDateTime d = MailDate.parse(raw("Date"));
        return d == null ? meta.internalDate() : d.toInstant();
    }

    /** Decoded text of every text part, parts separated by a newline (for BODY and TEXT). */
    String bodyText() throws StorageException {
        if (bodyText == null) {
            StringBuilder sb = new StringBuilder();
            collect(root(), sb, true);
            bodyText = sb.toString();
        }
        return bodyText;
    }

    /**
     * Every header field of the message and of its MIME parts, decoded, one per line (for TEXT, which
     * Dovecot also matches against part headers such as Content-Description).
     */
    String headerText() throws StorageException {
        StringBuilder sb = new StringBuilder();
        headers(root(), sb);
        return sb.toString();
    }

    private static void headers(MimePart p, StringBuilder sb) {
        Header h = p.header();
        for (Header.Field f : h.fields()) {
            sb.append(f.name()).append(": ").append(HeaderDecoder.decode(h.unfolded(f))).append('\n');
        }
        for (MimePart c : p.children()) {
            headers(c, sb);
        }
    }

    private static void collect(MimePart p, StringBuilder sb, boolean top) {
        if (p.isMultipart()) {
            for (MimePart c : p.children()) {
                collect(c, sb, false);
            }
            return;
        }
        if (p.message() != null) {
            // an attached message: its header fields count as body text of the outer message
            for (Header.Field f : p.message().header().fields()) {
                sb.append(HeaderDecoder.decode(p.message().header().unfolded(f))).append('\n');
            }
            collect(p.message(), sb, false);
            return;
        }
        if (!p.contentType().isText()) {
            return; // attachments are not searched (no extraction of PDF, images...)
        }
        byte[] decoded = TransferDecoding.decode(p.bodyBytes(), p.transferEncoding());
        if (decoded == null) {
            decoded = p.bodyBytes();
        }
        Charset cs = HeaderDecoder.charset(p.contentType().param("charset"));
        sb.append(HeaderDecoder.bytesToText(decoded, cs == null ? StandardCharsets.UTF_8 : cs)).append('\n');
    }
}
