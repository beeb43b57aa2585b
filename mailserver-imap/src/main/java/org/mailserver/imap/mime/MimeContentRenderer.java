package org.mailserver.imap.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.FetchAttribute.Section;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;
import org.mailserver.imap.fetch.ImapStrings;
import org.mailserver.imap.fetch.MessageContentRenderer;
import org.mailserver.imap.fetch.UnknownCteException;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageException;

/**
 * The FETCH content items (RFC 3501 6.4.5 and 7.4.2, RFC 3516, RFC 9051 6.4.5): ENVELOPE, BODY,
 * BODYSTRUCTURE, BODY[section]&lt;partial&gt;, RFC822, RFC822.HEADER, RFC822.TEXT, BINARY[section]&lt;partial&gt;
 * and BINARY.SIZE. Registered in {@code META-INF/services/org.mailserver.imap.fetch.MessageContentRenderer}
 * and called by the FETCH shell on the blocking executor. ENVELOPE, BODY, BODYSTRUCTURE and HEADER.FIELDS
 * of cached fields (Thunderbird's folder-open request) come from the {@link HeaderSummary} and
 * {@link StructureSummary} in the store's cache and open no file when it is warm; cold, ENVELOPE and those
 * header fields read the message only up to the end of its header. Stateless apart from {@link MessageLoader}'s per-thread last
 * message; thread-safe. Never throws on malformed mail: the parser has a reading for every input.
 */
public final class MimeContentRenderer implements MessageContentRenderer {

    @Override
    public byte[] render(Mailbox mailbox, MessageMeta meta, FetchAttribute a, RenderOptions options)
        throws StorageException, UnknownCteException {
        long uid = meta.uid();
        switch (a.kind()) {
            case ENVELOPE: {
                byte[] cached = MessageLoader.envelope(mailbox, uid);
                // Under UTF8=ACCEPT (RFC 6855 3) 8-bit strings may go quoted; only those envelopes differ.
                return options.utf8Accept() && hasEightBit(cached)
                    ? EnvelopeRenderer.render(MessageLoader.parsed(mailbox, uid).root().header(), true)
                    : cached;
            }
            case BODY:
                return MessageLoader.structure(mailbox, uid).body();
            case BODYSTRUCTURE:
                return MessageLoader.structure(mailbox, uid).bodyStructure();
            case BODY_SECTION: {
                byte[] cached = a.partial() == null ? cachedHeaderFields(mailbox, uid, a.section()) : null;
                return cached != null ? cached : literal(partial(section(mailbox, uid, a.section()), a.partial()));
            }
            case RFC822:
                return literal(section(mailbox, uid, Section.WHOLE));
            case RFC822_HEADER:
                return literal(section(mailbox, uid, new Section(List.of(), SectionText.HEADER, List.of())));
            case RFC822_TEXT:
                return literal(section(mailbox, uid, new Section(List.of(), SectionText.TEXT, List.of())));
            case BINARY_SECTION: {
                byte[] decoded = partial(BinaryDecoder.decode(MessageLoader.parsed(mailbox, uid).root(), a.section().part()), a.partial());
                // RFC 3516 4.2: literal8 only when the content has a NUL, which a literal cannot carry
                return hasNul(decoded) ? ImapStrings.literal8(decoded) : ImapStrings.literal(decoded);
            }
            case BINARY_SIZE:
                return Long.toString(BinaryDecoder.decode(MessageLoader.parsed(mailbox, uid).root(), a.section().part()).length)
                    .getBytes(StandardCharsets.US_ASCII);
            default:
                throw new IllegalArgumentException("not a content item: " + a.kind());
        }
    }

    /** BODY[section] before partial; HEADER.FIELDS of cached names only is served from the summary. */
    static byte[] section(Mailbox mailbox, long uid, Section section) throws StorageException {
        if (section.part().isEmpty() && section.text() == SectionText.NONE) {
            // BODY[] / RFC822: the message as stored, no MIME parse (RFC 3501 6.4.5: the whole message)
            return MessageLoader.whole(mailbox, uid);
        }
        if (section.part().isEmpty() && section.text() == SectionText.HEADER_FIELDS
            && HeaderSummary.covers(section.headerFields())) {
            return MessageLoader.header(mailbox, uid).header().select(section.headerFields(), false);
        }
        return SectionExtractor.extract(MessageLoader.parsed(mailbox, uid).root(), section);
    }

    /**
     * Thunderbird's folder-open item, BODY.PEEK[HEADER.FIELDS (cached names)] without partial, as the literal
     * filtered on bytes from the cached summary; null when the section is another or the cache has no entry.
     */
    private static byte[] cachedHeaderFields(Mailbox mailbox, long uid, Section section) {
        if (!section.part().isEmpty() || section.text() != SectionText.HEADER_FIELDS) {
            return null;
        }
        HeaderFieldFilter filter = HeaderFieldFilter.of(section.headerFields());
        if (!filter.coveredByCache()) {
            return null;
        }
        // read in place (no copy of the cached value): the literal is filtered out of it
        return mailbox.<byte[]>cachedSlice(uid, HeaderSummary.CACHE_KEY,
            (data, offset, length) -> HeaderSummary.headerFieldsLiteral(data, offset, length, filter)).orElse(null);
    }

    private static byte[] partial(byte[] content, FetchAttribute.Partial p) {
        return p == null ? content : SectionExtractor.partial(content, p.offset(), p.length());
    }

    private static byte[] literal(byte[] content) {
        return ImapStrings.literal(content);
    }

    private static boolean hasEightBit(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasNul(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                return true;
            }
        }
        return false;
    }
}
