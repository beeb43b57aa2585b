package org.mailserver.imap.command;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SequenceSet;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;

/**
 * EXPUNGE (RFC 3501 6.4.3) and UID EXPUNGE (RFC 4315 2.1). The untagged EXPUNGE/VANISHED responses come from
 * the store's change feed, reported by the dispatcher before the tagged OK.
 */
final class ExpungeCommand implements ImapCommand {
    private final boolean uid;

    ExpungeCommand(boolean uid) {
        this.uid = uid;
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        SequenceSet set = null;
        if (uid) {
            args.sp();
            set = SequenceSet.parse(args.word());
        }
        args.end();
        var view = s.selected();
        if (view.readOnly()) {
            throw ImapException.no("READ-ONLY", "Mailbox is read-only.");
        }
        List<Long> restrict = set == null ? null : MessageSets.resolve(view, set, true);
        return s.blocking(() -> {
            List<Long> deleted = view.mailbox().messages().stream()
                .filter(m -> m.flags().contains(Flag.DELETED))
                .map(MessageMeta::uid)
                .filter(u -> restrict == null || restrict.contains(u))
                .toList();
            if (!deleted.isEmpty()) {
                view.mailbox().expunge(deleted);
            }
            return "Expunge completed.";
        });
    }
}
