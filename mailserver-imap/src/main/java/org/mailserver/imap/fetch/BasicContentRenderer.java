package org.mailserver.imap.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * The protocol layer's fallback renderer, used only when no MIME-aware {@link MessageContentRenderer} is on
 * the class path: RFC822, RFC822.HEADER, RFC822.TEXT and top-level BODY[], BODY[HEADER], BODY[TEXT],
 * BODY[HEADER.FIELDS (...)] with partials. Anything needing MIME structure (ENVELOPE, BODYSTRUCTURE, part
 * numbers, BINARY) is refused with a storage error {@code NOT_POSSIBLE}. Stateless, thread-safe.
 */
public final class BasicContentRenderer implements MessageContentRenderer {

    @Override
    public byte[] render(Mailbox mailbox, MessageMeta meta, FetchAttribute attribute, RenderOptions options)
        throws StorageException {
        byte[] message;
        try (InputStream in = mailbox.open(meta.uid())) {
            message = in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "cannot read message " + meta.uid(), e);
        }
        int split = headerEnd(message);
        FetchAttribute.Section section = attribute.section();
        byte[] data = switch (attribute.kind()) {
            case RFC822 -> message;
            case RFC822_HEADER -> Arrays.copyOf(message, split);
            case RFC822_TEXT -> Arrays.copyOfRange(message, split, message.length);
            case BODY_SECTION -> {
                if (!section.part().isEmpty()) {
                    throw new StorageException(StorageError.NOT_POSSIBLE, "MIME part sections need the MIME renderer");
                }
                yield switch (section.text()) {
                    case NONE -> message;
                    case HEADER -> Arrays.copyOf(message, split);
                    case TEXT -> Arrays.copyOfRange(message, split, message.length);
                    case HEADER_FIELDS, HEADER_FIELDS_NOT ->
                        headerFields(new String(message, 0, split, StandardCharsets.ISO_8859_1), section);
                    case MIME -> throw new StorageException(StorageError.NOT_POSSIBLE, "MIME needs a part number");
                };
            }
            default -> throw new StorageException(StorageError.NOT_POSSIBLE,
                attribute.responseName() + " needs the MIME renderer");
        };
        FetchAttribute.Partial p = attribute.partial();
        if (p != null) {
            int from = (int) Math.min(p.offset(), data.length);
            int to = (int) Math.min((long) from + p.length(), data.length);
            data = Arrays.copyOfRange(data, from, to);
        }
        return ImapStrings.literal(data);
    }

    /** Offset just after the blank line ending the header (or the whole message when there is none). */
    static int headerEnd(byte[] m) {
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                return i + 4;
            }
        }
        return m.length;
    }

    private static byte[] headerFields(String header, FetchAttribute.Section section) {
        boolean not = section.text() == FetchAttribute.SectionText.HEADER_FIELDS_NOT;
        StringBuilder out = new StringBuilder();
        boolean keep = false;
        for (String line : header.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) != ' ' && line.charAt(0) != '\t') {
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon).trim();
                boolean listed = section.headerFields().stream().anyMatch(f -> f.equalsIgnoreCase(name));
                keep = listed != not;
            }
            if (keep) {
                out.append(line).append("\r\n");
            }
        }
        out.append("\r\n"); // RFC 3501 6.4.5: the subset includes the blank line delimiting the header
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
