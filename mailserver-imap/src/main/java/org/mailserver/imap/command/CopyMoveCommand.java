package org.mailserver.imap.command;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SequenceSet;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.Responses;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * COPY / UID COPY (RFC 3501 6.4.7) and MOVE / UID MOVE (RFC 6851) with UIDPLUS COPYUID (RFC 4315). A missing
 * target is {@code NO [TRYCREATE]}. MOVE reports COPYUID in an untagged OK before the expunges (RFC 6851 4.3);
 * the expunges come from the change feed.
 */
final class CopyMoveCommand implements ImapCommand {
    private final boolean uid;
    private final boolean move;

    CopyMoveCommand(boolean uid, boolean move) {
        this.uid = uid;
        this.move = move;
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        SequenceSet set = SequenceSet.parse(args.word());
        args.sp();
        String target = Names.read(s, args);
        args.end();
        var view = s.selected();
        if (move && view.readOnly()) {
            throw ImapException.no("READ-ONLY", "Mailbox is read-only.");
        }
        List<Long> uids = MessageSets.resolve(view, set, uid);
        String verb = move ? "Move" : "Copy";
        if (uids.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(verb + " completed.");
        }
        return s.blocking(() -> {
            try {
                Mailbox mb = view.mailbox();
                return move ? mb.move(uids, target) : mb.copy(uids, target);
            } catch (StorageException e) {
                if (e.error() == StorageError.NOT_FOUND) {
                    throw ImapException.no("TRYCREATE", "Mailbox doesn't exist: " + target); // RFC 3501 6.4.7
                }
                throw e;
            }
        }).thenApply(r -> {
            String copyUid = r.targetUids().isEmpty() ? "" : "[COPYUID " + r.targetUidValidity() + " "
                + Responses.numberSet(r.sourceUids()) + " " + Responses.numberSet(r.targetUids()) + "] ";
            if (move) {
                if (!copyUid.isEmpty()) {
                    s.writeLine("* OK " + copyUid + "Moved UIDs.");
                }
                return "Move completed.";
            }
            return copyUid + "Copy completed.";
        });
    }
}
