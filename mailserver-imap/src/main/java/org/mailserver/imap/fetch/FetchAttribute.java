package org.mailserver.imap.fetch;

import java.util.List;

/**
 * One parsed FETCH data item (RFC 3501 6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ). Produced by the
 * FETCH command shell ({@code org.mailserver.imap.command.FetchCommand}) from the client's request and
 * handed to a {@link MessageContentRenderer} for the content items. Immutable.
 *
 * <p>The macros ALL, FAST and FULL are expanded by the parser and never appear here.
 *
 * @param kind    which data item
 * @param section the section of BODY[...], BODY.PEEK[...], BINARY[...], BINARY.PEEK[...] and BINARY.SIZE[...];
 *                {@code null} for the other kinds
 * @param partial the {@code <offset.length>} of BODY[...] and BINARY[...], {@code null} when absent
 * @param peek    true for BODY.PEEK / BINARY.PEEK (does not set \Seen); always true for RFC822.HEADER, RFC822.SIZE
 */
public record FetchAttribute(Kind kind, Section section, Partial partial, boolean peek) {

    /** The data items. */
    public enum Kind {
        /** FLAGS: rendered by the shell. */
        FLAGS,
        /** UID: rendered by the shell. */
        UID,
        /** INTERNALDATE: rendered by the shell. */
        INTERNALDATE,
        /** RFC822.SIZE: rendered by the shell from {@code MessageMeta.size()}. */
        RFC822_SIZE,
        /** MODSEQ (RFC 7162): rendered by the shell. */
        MODSEQ,
        /** ENVELOPE: rendered by the content renderer. */
        ENVELOPE,
        /** BODY without section: the non-extensible BODYSTRUCTURE. Renderer. */
        BODY,
        /** BODYSTRUCTURE with extension data. Renderer. */
        BODYSTRUCTURE,
        /** BODY[section]&lt;partial&gt; and BODY.PEEK[...]. Renderer. */
        BODY_SECTION,
        /** BINARY[section]&lt;partial&gt; and BINARY.PEEK[...] (RFC 3516): decoded content. Renderer. */
        BINARY_SECTION,
        /** BINARY.SIZE[section] (RFC 3516). Renderer. */
        BINARY_SIZE,
        /** RFC822: same bytes as BODY[], response item name RFC822. Renderer. */
        RFC822,
        /** RFC822.HEADER: same as BODY.PEEK[HEADER]. Renderer. */
        RFC822_HEADER,
        /** RFC822.TEXT: same as BODY[TEXT]. Renderer. */
        RFC822_TEXT;

        /** True when the {@link MessageContentRenderer} produces this item (it needs the message content). */
        public boolean needsContent() {
            return ordinal() >= ENVELOPE.ordinal();
        }
    }

    /** The text part of a section specifier (RFC 3501 section-msgtext / section-text). */
    public enum SectionText {
        /** No text specifier: the whole message ({@code BODY[]}) or the whole part ({@code BODY[1.2]}). */
        NONE,
        HEADER,
        HEADER_FIELDS,
        HEADER_FIELDS_NOT,
        TEXT,
        /** MIME header of a part; only after a part number (RFC 3501 6.4.5). */
        MIME
    }

    /**
     * A section specifier.
     *
     * @param part         the part numbers ({@code 1.2.3} is [1, 2, 3]); empty for the top level
     * @param text         the text specifier
     * @param headerFields the field names of HEADER.FIELDS / HEADER.FIELDS.NOT as the client wrote them
     *                     (compare case-insensitively); empty otherwise
     */
    public record Section(List<Integer> part, SectionText text, List<String> headerFields) {
        public Section {
            part = List.copyOf(part);
            headerFields = List.copyOf(headerFields);
        }

        public static final Section WHOLE = new Section(List.of(), SectionText.NONE, List.of());

        /** The section as written inside the brackets of the response item name, e.g. {@code 1.2.HEADER.FIELDS (From To)}. */
        public String spec() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < part.size(); i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(part.get(i));
            }
            if (text != SectionText.NONE) {
                if (!part.isEmpty()) {
                    sb.append('.');
                }
                sb.append(switch (text) {
                    case HEADER -> "HEADER";
                    case HEADER_FIELDS -> "HEADER.FIELDS";
                    case HEADER_FIELDS_NOT -> "HEADER.FIELDS.NOT";
                    case TEXT -> "TEXT";
                    case MIME -> "MIME";
                    case NONE -> "";
                });
                if (text == SectionText.HEADER_FIELDS || text == SectionText.HEADER_FIELDS_NOT) {
                    sb.append(" (").append(String.join(" ", headerFields)).append(')');
                }
            }
            return sb.toString();
        }
    }

    /** {@code <offset.length>}: at most {@code length} bytes from {@code offset}. */
    public record Partial(long offset, long length) {
    }

    public static FetchAttribute simple(Kind kind) {
        return new FetchAttribute(kind, null, null, true);
    }

    /**
     * The name of this item in the FETCH response (RFC 3501 7.4.2): BODY.PEEK becomes BODY, a partial
     * is answered with its origin only ({@code BODY[]<0>}), BINARY.SIZE keeps its section.
     */
    public String responseName() {
        return switch (kind) {
            case FLAGS -> "FLAGS";
            case UID -> "UID";
            case INTERNALDATE -> "INTERNALDATE";
            case RFC822_SIZE -> "RFC822.SIZE";
            case MODSEQ -> "MODSEQ";
            case ENVELOPE -> "ENVELOPE";
            case BODY -> "BODY";
            case BODYSTRUCTURE -> "BODYSTRUCTURE";
            case RFC822 -> "RFC822";
            case RFC822_HEADER -> "RFC822.HEADER";
            case RFC822_TEXT -> "RFC822.TEXT";
            case BODY_SECTION -> "BODY[" + section.spec() + "]" + (partial == null ? "" : "<" + partial.offset() + ">");
            case BINARY_SECTION -> "BINARY[" + section.spec() + "]" + (partial == null ? "" : "<" + partial.offset() + ">");
            case BINARY_SIZE -> "BINARY.SIZE[" + section.spec() + "]";
        };
    }

    /** True when fetching this item sets \Seen (RFC 3501 6.4.5: BODY[...] and RFC822, RFC822.TEXT without PEEK). */
    public boolean setsSeen() {
        return switch (kind) {
            case BODY_SECTION, BINARY_SECTION -> !peek;
            case RFC822, RFC822_TEXT -> true;
            default -> false;
        };
    }
}
