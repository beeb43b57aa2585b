package org.mailserver.storage.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.mailserver.storage.Flag;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MailboxListener;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * What every backend's mailbox view shares: reading the shared {@link MailboxState}, \Recent
 * claiming, listener bookkeeping, and the logic of STORE (with RFC 7162 UNCHANGEDSINCE), EXPUNGE
 * and MOVE. Backends supply persistence through the {@code persist*} hooks, which run with the
 * state locked and must have made the change durable (or failed) before they return; the state is
 * updated and listeners notified only after they succeed.
 */
public abstract class AbstractMailbox implements Mailbox {
    protected final MailboxState state;
    private final TreeSet<Long> recent = new TreeSet<>();
    private final List<MailboxListener> listeners = new ArrayList<>();
    private boolean closed;

    protected AbstractMailbox(MailboxState state) {
        this.state = state;
        // \Recent is claimed lazily, on the first recent() call: opening a view for APPEND, STATUS or
        // LIST-STATUS must not take \Recent away from the session that SELECTs next (RFC 3501 2.3.2).
    }

    @Override
    public String name() {
        return state.name();
    }

    @Override
    public long uidValidity() {
        return state.uidValidity();
    }

    @Override
    public long uidNext() {
        return state.uidNext();
    }

    @Override
    public long highestModSeq() {
        return state.highestModSeq();
    }

    protected void checkOpen() throws StorageException {
        if (closed) {
            throw new StorageException(StorageError.NOT_POSSIBLE, "Mailbox view is closed");
        }
        state.checkUsable();
    }

    @Override
    public List<MessageMeta> messages() throws StorageException {
        checkOpen();
        return state.snapshot();
    }

    @Override
    public Optional<MessageMeta> meta(long uid) throws StorageException {
        checkOpen();
        state.lock();
        try {
            return Optional.ofNullable(state.get(uid));
        } finally {
            state.unlock();
        }
    }

    @Override
    public List<MessageMeta> messages(Collection<Long> uids) throws StorageException {
        checkOpen();
        return state.select(uids);
    }

    @Override
    public long[] uids() throws StorageException {
        checkOpen();
        return state.uids();
    }

    @Override
    public long firstUnseenUid() throws StorageException {
        checkOpen();
        state.lock();
        try {
            return state.firstUnseen();
        } finally {
            state.unlock();
        }
    }

    @Override
    public SortedSet<String> keywordsInUse() throws StorageException {
        checkOpen();
        state.lock();
        try {
            return state.keywordsInUse();
        } finally {
            state.unlock();
        }
    }

    /** RFC 3501 2.3.2: a message is \Recent in exactly one session, the first to see it. */
    private void claimRecent() {
        state.lock();
        try {
            long mark = state.recentClaimedUpTo();
            for (Long uid : state.view().tailMap(mark, false).keySet()) {
                recent.add(uid);
            }
            if (!state.view().isEmpty() && state.view().lastKey() > mark) {
                state.setRecentClaimedUpTo(state.view().lastKey());
                persistRecentClaim();
            }
        } finally {
            state.unlock();
        }
    }

    @Override
    public Set<Long> recent() {
        claimRecent();
        state.lock();
        try {
            recent.removeIf(uid -> state.get(uid) == null);
            return Set.copyOf(recent);
        } finally {
            state.unlock();
        }
    }

    @Override
    public long unseenCount() throws StorageException {
        checkOpen();
        state.lock();
        try {
            return state.unseenCount();
        } finally {
            state.unlock();
        }
    }

    @Override
    public StoreResult store(Collection<Long> uids, StoreMode mode, Set<Flag> flags, Set<String> keywords,
                             long unchangedSince) throws StorageException {
        checkOpen();
        Set<Flag> givenFlags = FlagChange.flags(flags);
        Set<String> givenKeywords = FlagChange.keywords(keywords);
        state.lock();
        try {
            List<MessageMeta> before = new ArrayList<>();
            List<MessageMeta> after = new ArrayList<>();
            List<MessageMeta> result = new ArrayList<>();
            List<Long> modified = new ArrayList<>();
            long modSeq = 0;
            for (Long uid : new TreeSet<>(uids)) {
                MessageMeta m = state.get(uid);
                if (m == null) {
                    continue;
                }
                // RFC 7162 3.1.3: a message changed after UNCHANGEDSINCE is not touched and reported back.
                if (unchangedSince > 0 && m.modSeq() > unchangedSince) {
                    modified.add(uid);
                    continue;
                }
                Set<Flag> nf = FlagChange.apply(mode, m.flags(), givenFlags);
                Set<String> nk = FlagChange.applyKeywords(mode, m.keywords(), givenKeywords);
                if (nf.equals(m.flags()) && FlagChange.sameKeywords(nk, m.keywords())) {
                    result.add(m);
                    continue;
                }
                if (modSeq == 0) {
                    modSeq = state.nextModSeq();
                }
                MessageMeta changed = new MessageMeta(uid, nf, nk, m.size(), m.internalDate(), modSeq);
                before.add(m);
                after.add(changed);
                result.add(changed);
            }
            if (!after.isEmpty()) {
                persistFlags(before, after);
                state.flagsChanged(after);
                stateChanged();
            }
            return new StoreResult(List.copyOf(result), List.copyOf(modified));
        } finally {
            state.unlock();
        }
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) throws StorageException {
        checkOpen();
        state.lock();
        try {
            List<MessageMeta> present = new ArrayList<>();
            for (Long uid : new TreeSet<>(uids)) {
                MessageMeta m = state.get(uid);
                if (m != null) {
                    present.add(m);
                }
            }
            if (present.isEmpty()) {
                return List.of();
            }
            long modSeq = state.nextModSeq();
            persistExpunge(present, modSeq);
            List<Long> gone = state.expunged(present.stream().map(MessageMeta::uid).toList(), modSeq);
            stateChanged();
            return gone;
        } finally {
            state.unlock();
        }
    }

    @Override
    public CopyResult copy(Collection<Long> uids, String targetMailbox) throws StorageException {
        return copyMessages(uids, targetMailbox, true);
    }

    @Override
    public CopyResult move(Collection<Long> uids, String targetMailbox) throws StorageException {
        // RFC 6851 3.3: the same as COPY then EXPUNGE of the source messages, as one operation for the client.
        // The quota is not checked: a move frees what it takes (Dovecot does the same), so a user at the
        // limit can still move mail to Trash.
        CopyResult copied = copyMessages(uids, targetMailbox, false);
        expunge(copied.sourceUids());
        return copied;
    }

    /** Copies into another mailbox of the same user, assigning new UIDs there. */
    protected abstract CopyResult copyMessages(Collection<Long> uids, String targetMailbox, boolean checkQuota)
        throws StorageException;

    @Override
    public Optional<List<Long>> expungedSince(long modSeq) throws StorageException {
        checkOpen();
        return state.expungedSince(modSeq);
    }

    @Override
    public Optional<byte[]> cached(long uid, String key) {
        return state.cached(uid, key);
    }

    @Override
    public <T> Optional<T> cachedAs(long uid, String key, java.util.function.Function<byte[], ? extends T> reader) {
        return state.cachedAs(uid, key, reader);
    }

    @Override
    public <T> Optional<T> cachedSlice(long uid, String key, CacheSliceReader<? extends T> reader) {
        return state.cachedSlice(uid, key, reader);
    }

    @Override
    public void putCache(long uid, String key, byte[] value) {
        state.lock();
        try {
            if (state.putCacheLocked(uid, key, value)) {
                persistCache(uid, key, value);
            }
        } finally {
            state.unlock();
        }
    }

    @Override
    public Object sharedKey() {
        return state; // one MailboxState per mailbox, shared by every view of it
    }

    @Override
    public void addListener(MailboxListener listener) {
        listeners.add(listener);
        state.addListener(listener);
    }

    @Override
    public void removeListener(MailboxListener listener) {
        listeners.remove(listener);
        state.removeListener(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MailboxListener l : listeners) {
            state.removeListener(l);
        }
        listeners.clear();
        onClose();
    }

    /** Makes a flag change durable; the state is locked. */
    protected abstract void persistFlags(List<MessageMeta> before, List<MessageMeta> after) throws StorageException;

    /** Removes these messages durably; the state is locked. */
    protected abstract void persistExpunge(List<MessageMeta> removed, long modSeq) throws StorageException;

    /**
     * Called with the state locked after a change made durable by {@link #persistFlags} or
     * {@link #persistExpunge} has been applied to the state: the place for anything a backend derives
     * from the whole state (an index snapshot), which taken inside the persist hook would miss the change.
     */
    protected void stateChanged() {
    }

    /** Records that \Recent was claimed up to {@link MailboxState#recentClaimedUpTo()}; the state is locked. */
    protected void persistRecentClaim() {
    }

    /** Records a cache entry (best effort: the cache is never the truth). */
    protected void persistCache(long uid, String key, byte[] value) {
    }

    /** Releases backend resources of this view. */
    protected void onClose() {
    }
}
