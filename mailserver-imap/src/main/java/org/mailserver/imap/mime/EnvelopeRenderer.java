package org.mailserver.imap.mime;

import java.util.List;

/**
 * Renders the ENVELOPE of a message or of an encapsulated message/rfc822 (RFC 3501 7.4.2, RFC 9051
 * 7.5.2): {@code (date subject from sender reply-to to cc bcc in-reply-to message-id)}. Header values are
 * shown unfolded and as sent (encoded words are not decoded, 8-bit bytes go out as literals); an absent
 * header is NIL, an empty one the empty string; Sender and Reply-To take the From value when absent or empty, as the RFC requires. Output
 * matches Dovecot's for the corpus under {@code src/test/resources/messages}. Pure function; thread-safe.
 */
public final class EnvelopeRenderer {

    private EnvelopeRenderer() {
    }

    public static byte[] render(Header header, boolean utf8) {
        ImapOut out = new ImapOut(utf8);
        write(out, header);
        return out.toBytes();
    }

    static void write(ImapOut out, Header header) {
        out.raw('(');
        out.nstring(header.value("Date")).raw(' ');
        out.nstring(header.value("Subject")).raw(' ');
        List<Address> from = Address.parseList(header.value("From"));
        List<Address> sender = Address.parseList(header.value("Sender"));
        List<Address> replyTo = Address.parseList(header.value("Reply-To"));
        addresses(out, from);
        out.raw(' ');
        addresses(out, sender.isEmpty() ? from : sender);
        out.raw(' ');
        addresses(out, replyTo.isEmpty() ? from : replyTo);
        out.raw(' ');
        addresses(out, Address.parseList(header.value("To")));
        out.raw(' ');
        addresses(out, Address.parseList(header.value("Cc")));
        out.raw(' ');
        addresses(out, Address.parseList(header.value("Bcc")));
        out.raw(' ');
        out.nstring(header.value("In-Reply-To")).raw(' ');
        out.nstring(header.value("Message-ID"));
        out.raw(')');
    }

    private static void addresses(ImapOut out, List<Address> list) {
        if (list.isEmpty()) {
            out.nil();
            return;
        }
        out.raw('(');
        for (Address a : list) {
            out.raw('(').nstring(a.name()).raw(' ').nstring(a.adl()).raw(' ')
                .nstring(a.mailbox()).raw(' ').nstring(a.host()).raw(')');
        }
        out.raw(')');
    }
}
