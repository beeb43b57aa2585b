package org.mailserver.imap.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What IMAP needs of a message most often, computed once from its bytes and kept in the store's
 * per-message cache ({@code Mailbox.putCache}) so that a warm mailbox answers FETCH ENVELOPE, BODY,
 * BODYSTRUCTURE, Thunderbird's HEADER.FIELDS list, SEARCH on header keys, SORT and THREAD without opening
 * a single message file.
 *
 * <h2>Cache format</h2>
 * One cache entry per message under the key {@value #CACHE_KEY} (the version is in the key, so a format
 * change simply misses and recomputes; a corrupt entry is treated as a miss). The value is:
 * <pre>
 *   byte   'S'                magic
 *   int32  length, bytes      ENVELOPE value as sent (parenthesised, default encoding: no UTF8=ACCEPT)
 *   int32  length, bytes      BODY value
 *   int32  length, bytes      BODYSTRUCTURE value
 *   int32  length, bytes      header fields: BODY[HEADER.FIELDS ({@link #CACHED_FIELDS})] exactly, i.e.
 *                             the raw field lines of those names in message order and the blank line
 * </pre>
 * Integers are big-endian ({@link DataOutputStream}). A typical message costs 1 to 3 KB.
 */
public record MessageSummary(byte[] envelope, byte[] body, byte[] bodyStructure, byte[] headerFields) {

    public static final String CACHE_KEY = "imap.summary.v1";

    /**
     * The fields kept: the list Thunderbird fetches on every folder open (see docs/imap-content.md), plus
     * Sender; together they cover SEARCH FROM/TO/CC/BCC/SUBJECT, SORT and THREAD=REFERENCES.
     */
    public static final List<String> CACHED_FIELDS = List.of("From", "To", "Cc", "Bcc", "Subject", "Date",
        "Message-ID", "Priority", "X-Priority", "References", "Newsgroups", "In-Reply-To", "Content-Type",
        "Reply-To", "Received", "Sender");

    private static final Set<String> CACHED_LOWER = lower(CACHED_FIELDS);

    private static final byte MAGIC = 'S';

    /** Computes the summary of a parsed message. */
    public static MessageSummary of(MimePart root) {
        return new MessageSummary(EnvelopeRenderer.render(root.header(), false),
            BodyStructureRenderer.render(root, false, false),
            BodyStructureRenderer.render(root, true, false),
            root.header().select(CACHED_FIELDS, false));
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(envelope.length + bodyStructure.length * 2 + headerFields.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC);
            for (byte[] b : List.of(envelope, body, bodyStructure, headerFields)) {
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    /** Decodes a cache value; null when it is not a well-formed summary (then the caller recomputes). */
    public static MessageSummary decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != MAGIC) {
                return null;
            }
            byte[][] parts = new byte[4][];
            for (int i = 0; i < 4; i++) {
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    return null;
                }
                parts[i] = in.readNBytes(n);
            }
            if (in.available() != 0) {
                return null;
            }
            return new MessageSummary(parts[0], parts[1], parts[2], parts[3]);
        } catch (IOException e) {
            return null;
        }
    }

    private static Set<String> lower(List<String> names) {
        Set<String> s = new TreeSet<>();
        for (String n : names) {
            s.add(n.toLowerCase(Locale.ROOT));
        }
        return s;
    }
}
