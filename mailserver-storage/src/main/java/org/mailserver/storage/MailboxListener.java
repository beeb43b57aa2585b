package org.mailserver.storage;

import java.util.List;

/**
 * Receives the changes made to a mailbox through any view in this JVM, synchronously on the thread
 * that made the change: implementations must only record the change and schedule work (an IMAP
 * session hops to its event loop and reports EXISTS/EXPUNGE/FETCH at the next allowed point).
 */
public interface MailboxListener {

    /** New messages appended, copied or moved in, or found on disk by a sync. */
    default void added(List<MessageMeta> messages) {
    }

    /** Flags or keywords changed. */
    default void flagsChanged(List<MessageMeta> messages) {
    }

    /** Messages removed; {@code modSeq} is the mailbox's modseq after the expunge. */
    default void expunged(List<Long> uids, long modSeq) {
    }

    /** The mailbox was deleted or renamed away: the view is no longer usable. */
    default void mailboxGone() {
    }
}
