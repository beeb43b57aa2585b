package org.mailserver.imap.mime;

import java.util.Arrays;
import java.util.List;
import org.mailserver.imap.fetch.FetchAttribute.Section;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;

/**
 * Cuts BODY[section] out of a parsed message (RFC 3501 6.4.5, RFC 9051 6.4.5): part numbers nested through
 * multiparts and encapsulated messages, HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT and MIME, always on
 * the exact original bytes. A section that does not exist yields an empty result (RFC 3501 leaves it to the
 * server; Dovecot answers an empty string too). Partial fetches are applied by {@link #partial}.
 * Pure functions; thread-safe.
 */
public final class SectionExtractor {

    private SectionExtractor() {
    }

    /**
     * The entity a part path names, or null when there is none. The empty path is the message itself.
     * Part 1 of a non-multipart message (or encapsulated message) is its body (RFC 3501 6.4.5); the parts
     * of a message/rfc822 part are those of the message it holds.
     */
    public static MimePart resolve(MimePart root, List<Integer> path) {
        MimePart cur = root;
        boolean atMessage = true; // cur is a message (root or encapsulated), not yet a part of it
        boolean selfStep = false; // the last step was "1" on a non-multipart entity, naming itself
        for (int n : path) {
            MimePart container = !atMessage && cur.message() != null ? cur.message() : cur;
            if (container.isMultipart()) {
                if (n < 1 || n > container.children().size()) {
                    return null;
                }
                cur = container.children().get(n - 1);
                selfStep = false;
            } else if (n == 1 && !(selfStep && container == cur)) {
                // "1" of a non-multipart message is its body (RFC 3501 6.4.5). Leniency shared with Dovecot:
                // "N.1" of a leaf part N is N itself (once), for clients that always append ".1".
                cur = container;
                selfStep = true;
            } else {
                return null;
            }
            atMessage = false;
        }
        return cur;
    }

    /** The bytes of BODY[section], before any partial; empty when the section does not exist. */
    public static byte[] extract(MimePart root, Section section) {
        byte[] data = root.data();
        if (section.part().isEmpty()) {
            return of(data, root, section);
        }
        MimePart part = resolve(root, section.part());
        if (part == null) {
            return new byte[0];
        }
        return switch (section.text()) {
            case NONE -> Arrays.copyOfRange(data, part.bodyStart(), part.bodyEnd());
            case MIME -> Arrays.copyOfRange(data, part.start(), part.bodyStart());
            // HEADER/TEXT after a part number refer to an encapsulated message (RFC 3501 6.4.5).
            default -> part.message() == null ? new byte[0] : of(data, part.message(), section);
        };
    }

    /** HEADER, HEADER.FIELDS[.NOT], TEXT or the whole of a message entity. */
    private static byte[] of(byte[] data, MimePart message, Section section) {
        Header h = message.header();
        return switch (section.text()) {
            case NONE -> Arrays.copyOfRange(data, message.start(), message.bodyEnd());
            case HEADER -> Arrays.copyOfRange(data, h.start(), h.end());
            case HEADER_FIELDS -> h.select(section.headerFields(), false);
            case HEADER_FIELDS_NOT -> h.select(section.headerFields(), true);
            case TEXT -> Arrays.copyOfRange(data, message.bodyStart(), message.bodyEnd());
            case MIME -> new byte[0]; // MIME needs a part number; the parser refuses [MIME] alone
        };
    }

    /**
     * {@code <origin.octets>} (RFC 3501 6.4.5): at most {@code octets} bytes from {@code origin}; an origin
     * past the end gives the empty string.
     */
    public static byte[] partial(byte[] content, long origin, long octets) {
        if (origin >= content.length) {
            return new byte[0];
        }
        long end = Math.min(content.length, origin + Math.max(0, octets));
        return Arrays.copyOfRange(content, (int) origin, (int) end);
    }
}
