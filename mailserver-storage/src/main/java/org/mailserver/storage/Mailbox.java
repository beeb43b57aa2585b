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

    /**
     * The message with this UID, if present. The stores of this module answer in O(log n), without copying
     * the mailbox; the default scans {@link #messages()}.
     */
    default Optional<MessageMeta> meta(long uid) throws StorageException {
        for (MessageMeta m : messages()) {
            if (m.uid() == uid) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The messages among these UIDs that are present, in UID order (each once). The stores of this module
     * cost in proportion to the UIDs asked for, not to the mailbox; the default filters {@link #messages()}.
     */
    default List<MessageMeta> messages(Collection<Long> uids) throws StorageException {
        Set<Long> wanted = new java.util.HashSet<>(uids);
        return messages().stream().filter(m -> wanted.contains(m.uid())).toList();
    }

    /**
     * The UIDs of {@link #messages()}, ascending (a copy the caller owns). The stores of this module keep the
     * array between changes of the UID set, so opening a view (SELECT) does not materialise every message.
     */
    default long[] uids() throws StorageException {
        return messages().stream().mapToLong(MessageMeta::uid).toArray();
    }

    /** UID of the first message (in UID order) without \Seen, 0 when there is none (SELECT's UNSEEN). */
    default long firstUnseenUid() throws StorageException {
        for (MessageMeta m : messages()) {
            if (!m.flags().contains(Flag.SEEN)) {
                return m.uid();
            }
        }
        return 0;
    }

    /** The keywords set on at least one message, sorted (SELECT's FLAGS and PERMANENTFLAGS). */
    default java.util.SortedSet<String> keywordsInUse() throws StorageException {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (MessageMeta m : messages()) {
            out.addAll(m.keywords());
        }
        return out;
    }

    /** UIDs this view is the first to see (the IMAP \Recent flag, RFC 3501 2.3.2); claimed once per mailbox. */
    Set<Long> recent();

    /**
     * The client of a read-write view has seen the mailbox and is idle (IMAP: IDLE after a SELECT): files the
     * messages delivered since as seen by a mail reader, a few at a time. Maildir moves them from {@code new/} to
     * {@code cur/} (adding {@code :2,}), as the Maildir convention asks of a reader and as Dovecot does inside a
     * read-write SELECT; a {@code new/} kept small is cheap to list, and a later flag change is then a rename
     * within {@code cur/}. Nothing an IMAP client sees changes (UIDs, flags and \Recent stay). Returns true when
     * nothing is left, false when {@code pause} asked it to stop for now (call it again later). Nothing to do by
     * default.
     */
    default boolean settleNewMessages(java.util.function.BooleanSupplier pause) throws StorageException {
        return true;
    }

    /** Number of messages without \Seen. */
    long unseenCount() throws StorageException;

    /** Appends a message (CRLF line endings). Durable (fsynced) when this returns. */
    AppendResult append(InputStream content, Set<Flag> flags, Set<String> keywords, Instant internalDate) throws StorageException;

    /** The full message bytes in CRLF form. */
    InputStream open(long uid) throws StorageException;

    /**
     * The full message in CRLF form, read at once: the same bytes as {@link #open}. The caller owns the array.
     * Stores override it to read the file in one go instead of through a converting stream.
     */
    default byte[] content(long uid) throws StorageException {
        try (InputStream in = open(uid)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Reading message " + uid + " failed: " + e.getMessage(), e);
        }
    }

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

    /**
     * A cache entry passed through {@code reader}, without the defensive copy {@link #cached} makes where the store
     * can avoid it (FETCH ENVELOPE of a whole mailbox decodes one entry per message). The reader must neither modify
     * the array nor keep it.
     */
    default <T> Optional<T> cachedAs(long uid, String key, java.util.function.Function<byte[], ? extends T> reader) {
        return cached(uid, key).map(reader);
    }

    /** Reads a cache value that lies in {@code data[offset, offset + length)}; returns null for "nothing". */
    interface CacheSliceReader<T> {
        T read(byte[] data, int offset, int length);
    }

    /**
     * Like {@link #cachedAs}, but the value may be handed over in place, as a range of a larger array, so that a
     * store holding many values in one array copies nothing (FETCH of a whole mailbox after a restart: Maildir's
     * bulk-loaded cache). The reader must neither modify the array nor keep it.
     */
    default <T> Optional<T> cachedSlice(long uid, String key, CacheSliceReader<? extends T> reader) {
        return cachedAs(uid, key, v -> reader.read(v, 0, v.length));
    }

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
