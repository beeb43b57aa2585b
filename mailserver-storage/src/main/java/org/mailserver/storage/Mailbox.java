package org.mailserver.storage;

import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An open view of one mailbox. Every view of the same mailbox in this JVM receives every change
 * through its {@link MailboxListener} at once; changes made by another process on disk are picked
 * up at the next {@link #sync()}. Methods block on disk: call them from a blocking executor.
 * Views are not thread-safe; one session uses one view.
 */
public interface Mailbox extends AutoCloseable {

    String name();

    long uidValidity();

    /** The UID the next appended message will get. */
    long uidNext();

    /** RFC 7162 HIGHESTMODSEQ; persists across restarts. */
    long highestModSeq();

    /** Re-reads the disk state (new files, renames by other processes) and notifies listeners of what changed. */
    void sync() throws StorageException;

    /** All messages in UID order, as of the last sync or change. */
    List<MessageMeta> messages() throws StorageException;

    /** UIDs this view is the first to see (the IMAP \Recent flag, RFC 3501 2.3.2); claimed once per mailbox. */
    Set<Long> recent();

    /** Number of messages without \Seen. */
    long unseenCount() throws StorageException;

    /** Appends a message (CRLF line endings). Durable (fsynced) when this returns. */
    AppendResult append(InputStream content, Set<Flag> flags, Set<String> keywords, Instant internalDate) throws StorageException;

    /** The full message bytes in CRLF form. */
    InputStream open(long uid) throws StorageException;

    /**
     * Changes flags and keywords. {@code unchangedSince} &gt; 0 applies RFC 7162 UNCHANGEDSINCE: messages
     * whose modseq is higher are left alone and returned in {@link StoreResult#modified()}.
     */
    StoreResult store(Collection<Long> uids, StoreMode mode, Set<Flag> flags, Set<String> keywords, long unchangedSince) throws StorageException;

    /** Copies to another mailbox of the same store, assigning new UIDs there (UIDPLUS COPYUID). */
    CopyResult copy(Collection<Long> uids, String targetMailbox) throws StorageException;

    /** Moves to another mailbox (RFC 6851); the source UIDs are expunged here. */
    CopyResult move(Collection<Long> uids, String targetMailbox) throws StorageException;

    /** Permanently removes these UIDs; returns the UIDs actually removed. */
    List<Long> expunge(Collection<Long> uids) throws StorageException;

    /** UIDs expunged with a modseq above the given one (QRESYNC VANISHED (EARLIER)), if still known. */
    Optional<List<Long>> expungedSince(long modSeq) throws StorageException;

    /** A per-message cache for parsed data (envelope, body structure, header fields), kept in the index. */
    Optional<byte[]> cached(long uid, String key);

    void putCache(long uid, String key, byte[] value);

    /**
     * An object that is the same for every open view of this mailbox in this JVM and differs between
     * mailboxes: the key under which a protocol layer keeps a per-mailbox in-memory structure shared by its
     * sessions (IMAP's folded header values for SEARCH). Hold it weakly; it may be replaced (a folder the
     * store forgot and opened again), and whatever is kept under it must still check {@link #uidValidity()}.
     */
    default Object sharedKey() {
        return this;
    }

    /** Registers for changes made through any view of this mailbox; remove on close. */
    void addListener(MailboxListener listener);

    void removeListener(MailboxListener listener);

    @Override
    void close();

    /** How {@link #store} combines the given flags with the existing ones. */
    enum StoreMode { REPLACE, ADD, REMOVE }

    /** @param uid the new message's UID, @param uidValidity the mailbox's UIDVALIDITY (APPENDUID) */
    record AppendResult(long uidValidity, long uid) {
    }

    /** @param changed metas after the change, @param modified UIDs refused by UNCHANGEDSINCE */
    record StoreResult(List<MessageMeta> changed, List<Long> modified) {
    }

    /** COPYUID data: source UIDs and the UIDs they got in the target, in the same order. */
    record CopyResult(long targetUidValidity, List<Long> sourceUids, List<Long> targetUids) {
    }
}
