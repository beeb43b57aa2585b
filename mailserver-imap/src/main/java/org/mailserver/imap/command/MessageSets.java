package org.mailserver.imap.command;

import java.util.List;
import org.mailserver.imap.codec.SequenceSet;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.session.SelectedMailbox;

/** Resolves sequence sets and UID sets against the session's view (event loop), and looks up metas by UID. */
final class MessageSets {
    private MessageSets() {
    }

    /**
     * The UIDs named by the set, ascending. By sequence number a number beyond EXISTS is a client error
     * (RFC 3501 9 "Invalid messageset"); by UID, UIDs not in the view are silently ignored (RFC 3501 6.4.8).
     */
    static List<Long> resolve(SelectedMailbox view, SequenceSet set, boolean uid) throws SyntaxException {
        if (set.saved()) {
            // RFC 5182 2.1: "$" names the saved UIDs still in the mailbox, whether used as UIDs or sequence numbers
            return view.savedResult().stream().filter(u -> view.seqOf(u) > 0).sorted().toList();
        }
        if (uid) {
            return view.uidsIn(set);
        }
        if (set.maxExplicit() > view.exists()) {
            throw new SyntaxException("Invalid messageset");
        }
        return view.uidsAtSeqs(set);
    }
}
