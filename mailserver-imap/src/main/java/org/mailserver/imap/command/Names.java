package org.mailserver.imap.command;

import java.util.Locale;
import org.mailserver.imap.codec.ModifiedUtf7;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.fetch.ImapStrings;
import org.mailserver.imap.session.ImapSession;

/**
 * Mailbox names between the wire and the store: modified UTF-7 unless UTF8=ACCEPT is enabled (RFC 3501 5.1.3,
 * RFC 6855 3), and INBOX case-insensitive (RFC 3501 5.1). Validation of what a name may contain is the store's.
 */
final class Names {
    private Names() {
    }

    static String read(ImapSession s, RequestReader r) throws SyntaxException {
        return fromWire(s, r.astring());
    }

    static String fromWire(ImapSession s, String wire) throws SyntaxException {
        String name = s.utf8() ? wire : ModifiedUtf7.decode(wire);
        return normalise(name);
    }

    static String normalise(String name) {
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (name.length() > 6 && name.substring(0, 6).toUpperCase(Locale.ROOT).equals("INBOX/")) {
            return "INBOX" + name.substring(5);
        }
        return name;
    }

    /** The name as a quoted string or literal for responses. */
    static String toWire(ImapSession s, String name) {
        return ImapStrings.string(s.utf8() ? name : ModifiedUtf7.encode(name), s.utf8());
    }
}
