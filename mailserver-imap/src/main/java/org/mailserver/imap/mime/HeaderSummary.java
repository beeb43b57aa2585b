package org.mailserver.imap.mime;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What IMAP needs of a message's header most often, computed from the header alone (the file is read only
 * up to the blank line) and kept in the store's per-message cache ({@code Mailbox.putCache}), so that a
 * warm mailbox answers FETCH ENVELOPE, Thunderbird's HEADER.FIELDS list, SEARCH on header keys, SORT and
 * THREAD without opening a message file.
 *
 * <h2>Cache format</h2>
 * Key {@value #CACHE_KEY} (the version is in the key: a format change simply misses and recomputes; a
 * value that does not decode is a miss). Value, in the layout of {@link CacheCodec}:
 * <pre>
 *   byte   'H'             magic
 *   int32  length, bytes   ENVELOPE value as sent (parenthesised, default encoding: no UTF8=ACCEPT)
 *   int32  length, bytes   BODY[HEADER.FIELDS ({@link #CACHED_FIELDS})] exactly: the raw field lines of
 *                          those names, in message order, with their folding, then the blank line
 * </pre>
 * Typically 0.5 to 2 KB per message. BODY and BODYSTRUCTURE live in {@link StructureSummary}.
 */
public record HeaderSummary(byte[] envelope, byte[] headerFields) {

    public static final String CACHE_KEY = "imap.header.v1";

    /**
     * The fields kept: the list Thunderbird fetches on every folder open (see docs/imap-content.md), plus
     * Sender; together they cover SEARCH FROM/TO/CC/BCC/SUBJECT, SORT and THREAD=REFERENCES.
     */
    public static final List<String> CACHED_FIELDS = List.of("From", "To", "Cc", "Bcc", "Subject", "Date",
        "Message-ID", "Priority", "X-Priority", "References", "Newsgroups", "In-Reply-To", "Content-Type",
        "Reply-To", "Received", "Sender");

    private static final Set<String> CACHED_LOWER = lower(CACHED_FIELDS);
    private static final byte MAGIC = 'H';

    /** Computes the summary of a message header. */
    public static HeaderSummary of(Header header) {
        return new HeaderSummary(EnvelopeRenderer.render(header, false), header.select(CACHED_FIELDS, false));
    }

    /** True when every requested field name is cached, so HEADER.FIELDS can be served from the summary. */
    public static boolean covers(List<String> fieldNames) {
        for (String f : fieldNames) {
            if (!CACHED_LOWER.contains(f.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** The cached fields as a {@link Header} (for HEADER.FIELDS subsets and header SEARCH keys). */
    public Header header() {
        return Header.parse(headerFields, 0, headerFields.length);
    }

    public byte[] encode() {
        return CacheCodec.encode(MAGIC, envelope, headerFields);
    }

    /** Decodes a cache value; null when it is not a well-formed summary. */
    public static HeaderSummary decode(byte[] value) {
        byte[][] p = CacheCodec.decode(value, MAGIC, 2);
        return p == null ? null : new HeaderSummary(p[0], p[1]);
    }

    /** Only the ENVELOPE of a cache value (FETCH ENVELOPE of a whole mailbox); null when it is not well-formed. */
    public static byte[] decodeEnvelope(byte[] value) {
        return CacheCodec.part(value, MAGIC, 2, 0);
    }

    /** {@link #decodeEnvelope} of a value in {@code data[offset, offset + length)}: only the ENVELOPE is copied. */
    public static byte[] decodeEnvelope(byte[] data, int offset, int length) {
        long range = CacheCodec.partRange(data, offset, length, MAGIC, 2, 0);
        if (range < 0) {
            return null;
        }
        int from = (int) (range >>> 32);
        return java.util.Arrays.copyOfRange(data, from, from + (int) range);
    }

    /**
     * Where the cached header fields lie in a cache value, without copying them (header SEARCH reads one
     * field of every message straight from these bytes): offset in the high 32 bits, length in the low 32
     * bits; -1 when the value is not a well-formed summary.
     */
    public static long headerFieldsRange(byte[] value) {
        return CacheCodec.partRange(value, MAGIC, 2, 1);
    }

    /**
     * BODY[HEADER.FIELDS (names)] as a literal straight from a cache value, for names that {@link #covers}
     * (the cached fields part is filtered in place, not decoded); null when the value is not well-formed.
     */
    public static byte[] headerFieldsLiteral(byte[] value, HeaderFieldFilter filter) {
        return value == null ? null : headerFieldsLiteral(value, 0, value.length, filter);
    }

    /** {@link #headerFieldsLiteral} of a value in {@code data[offset, offset + length)}. */
    public static byte[] headerFieldsLiteral(byte[] data, int offset, int length, HeaderFieldFilter filter) {
        long range = CacheCodec.partRange(data, offset, length, MAGIC, 2, 1);
        if (range < 0) {
            return null;
        }
        int from = (int) (range >>> 32);
        return filter.literal(data, from, from + (int) range);
    }

    private static Set<String> lower(List<String> names) {
        Set<String> s = new TreeSet<>();
        for (String n : names) {
            s.add(n.toLowerCase(Locale.ROOT));
        }
        return s;
    }
}
