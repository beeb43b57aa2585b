package org.mailserver.imap.mime;

/**
 * BODY and BODYSTRUCTURE of a message, computed from a full parse and kept in the store's per-message
 * cache so that a warm mailbox answers them without opening the file.
 *
 * <h2>Cache format</h2>
 * Key {@value #CACHE_KEY}. Value, in the layout of {@link CacheCodec}:
 * <pre>
 *   byte   'B'             magic
 *   int32  length, bytes   BODY value as sent (parenthesised, default encoding: no UTF8=ACCEPT)
 *   int32  length, bytes   BODYSTRUCTURE value as sent
 * </pre>
 */
public record StructureSummary(byte[] body, byte[] bodyStructure) {

    public static final String CACHE_KEY = "imap.structure.v1";
    private static final byte MAGIC = 'B';

    public static StructureSummary of(MimePart root) {
        return new StructureSummary(BodyStructureRenderer.render(root, false, false), BodyStructureRenderer.render(root, true, false));
    }

    public byte[] encode() {
        return CacheCodec.encode(MAGIC, body, bodyStructure);
    }

    /** Decodes a cache value; null when it is not well-formed. */
    public static StructureSummary decode(byte[] value) {
        byte[][] p = CacheCodec.decode(value, MAGIC, 2);
        return p == null ? null : new StructureSummary(p[0], p[1]);
    }
}
