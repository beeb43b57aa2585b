package org.mailserver.storage.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailboxListener;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.NoWait;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * The state of one mailbox shared by every open view of it in this JVM: the message index
 * (UID to {@link MessageMeta}), UIDNEXT, HIGHESTMODSEQ, the expunge log for QRESYNC, the \Recent
 * claim mark, the per-message cache and the listeners of every view. All changes go through the
 * mutators below while {@link #lock()} is held, and each mutator notifies every listener
 * synchronously before it returns, so the change feed is ordered the same way for every view.
 *
 * <p>The in-memory store keeps its data here; the Maildir store persists to disk first and then
 * applies the same change here (a crash between the two loses nothing: the disk is the truth).
 */
public class MailboxState {
    private final ReentrantLock lock = new ReentrantLock();
    private final CopyOnWriteArrayList<MailboxListener> listeners = new CopyOnWriteArrayList<>();
    private final TreeMap<Long, MessageMeta> messages = new TreeMap<>();
    /** UIDs without \Seen: SELECT's UNSEEN and the unseen count without walking the mailbox. */
    private final TreeSet<Long> unseen = new TreeSet<>();
    /** The UIDs of {@link #messages} ascending, rebuilt lazily after a UID came or went; null when stale. */
    private long[] uidArray;
    /** Keyword to the number of messages carrying it: SELECT's FLAGS without walking the mailbox. */
    private final TreeMap<String, Integer> keywordUse = new TreeMap<>();
    /** modseq of the expunge -> UIDs expunged then. */
    private final TreeMap<Long, List<Long>> expungeLog = new TreeMap<>();
    private final Map<Long, Map<String, byte[]>> cache = new HashMap<>();
    /** Entries loaded in bulk from disk (see {@link PackedCache}); {@link #cache} takes precedence. Null when none. */
    private PackedCache packed;
    private volatile String name;
    private long uidValidity;
    private long uidNext = 1;
    private long highestModSeq = 1;
    /** Expunges with a modseq at or below this are no longer all in the log. */
    private long expungeLogFloor;
    /** UIDs up to this one have been claimed as \Recent by some view. */
    private long recentClaimedUpTo;
    private volatile boolean gone;

    public MailboxState(String name, long uidValidity) {
        this.name = name;
        this.uidValidity = uidValidity;
    }

    /** Takes the lock; inside {@link NoWait#call}, throws {@link NoWait.WouldBlockException} rather than wait. */
    public void lock() {
        if (NoWait.active()) {
            if (!lock.tryLock()) {
                throw new NoWait.WouldBlockException();
            }
            return;
        }
        lock.lock();
    }

    public void unlock() {
        lock.unlock();
    }

    public boolean isLockedByMe() {
        return lock.isHeldByCurrentThread();
    }

    public String name() {
        return name;
    }

    public void rename(String newName) {
        this.name = newName;
    }

    public long uidValidity() {
        lock();
        try {
            return uidValidity;
        } finally {
            unlock();
        }
    }

    /** Only when the on-disk UIDVALIDITY changed under us: everything is reset by the caller. */
    public void resetUidValidity(long value) {
        uidValidity = value;
    }

    public long uidNext() {
        lock();
        try {
            return uidNext;
        } finally {
            unlock();
        }
    }

    public void setUidNext(long value) {
        uidNext = Math.max(uidNext, value);
    }

    /** Takes the next UID; caller holds the lock. */
    public long allocateUid() {
        return uidNext++;
    }

    public long highestModSeq() {
        lock();
        try {
            return highestModSeq;
        } finally {
            unlock();
        }
    }

    public void setHighestModSeq(long value) {
        highestModSeq = Math.max(highestModSeq, value);
    }

    /** A new modseq for the change being made; caller holds the lock. */
    public long nextModSeq() {
        return ++highestModSeq;
    }

    public long expungeLogFloor() {
        return expungeLogFloor;
    }

    public void setExpungeLogFloor(long value) {
        expungeLogFloor = value;
    }

    public long recentClaimedUpTo() {
        return recentClaimedUpTo;
    }

    public void setRecentClaimedUpTo(long value) {
        recentClaimedUpTo = value;
    }

    public boolean isGone() {
        return gone;
    }

    public void checkUsable() throws StorageException {
        if (gone) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox " + name + " was deleted or renamed");
        }
    }

    public List<MessageMeta> snapshot() {
        lock();
        try {
            return List.copyOf(messages.values());
        } finally {
            unlock();
        }
    }

    public MessageMeta get(long uid) {
        return messages.get(uid);
    }

    /** The present messages among these UIDs, in UID order, each once; takes the lock. */
    public List<MessageMeta> select(Collection<Long> uids) {
        Collection<Long> ordered = (uids instanceof List || uids instanceof SortedSet) && ascending(uids) ? uids : new TreeSet<>(uids);
        List<MessageMeta> out = new ArrayList<>(ordered.size());
        lock();
        try {
            if (ordered.size() > 64 && ordered.size() > messages.size() / 8) {
                // Many of the mailbox (FETCH 1:*): walk the UID range once alongside the wanted UIDs.
                long first = ordered.iterator().next();
                long last = ordered instanceof SortedSet<Long> sorted ? sorted.last() : ((List<Long>) ordered).get(ordered.size() - 1);
                var wanted = ordered.iterator();
                long want = wanted.next();
                for (MessageMeta m : messages.subMap(first, true, last, true).values()) {
                    while (want < m.uid() && wanted.hasNext()) {
                        want = wanted.next();
                    }
                    if (want == m.uid()) {
                        out.add(m);
                    } else if (want < m.uid()) {
                        break; // the wanted UIDs are used up
                    }
                }
                return out;
            }
            for (Long uid : ordered) {
                MessageMeta m = messages.get(uid);
                if (m != null) {
                    out.add(m);
                }
            }
        } finally {
            unlock();
        }
        return out;
    }

    /** Whether iterating the collection gives strictly ascending UIDs (the usual case: a resolved set). */
    private static boolean ascending(Collection<Long> uids) {
        if (uids instanceof SortedSet<Long> sorted) {
            return sorted.comparator() == null;
        }
        long last = Long.MIN_VALUE;
        for (Long u : uids) {
            if (u <= last) {
                return false;
            }
            last = u;
        }
        return true;
    }

    /** The UIDs, ascending (a copy); takes the lock. Flag changes keep the cached array, UID changes drop it. */
    public long[] uids() {
        lock();
        try {
            if (uidArray == null) {
                long[] a = new long[messages.size()];
                int i = 0;
                for (Long uid : messages.keySet()) {
                    a[i++] = uid;
                }
                uidArray = a;
            }
            return uidArray.clone();
        } finally {
            unlock();
        }
    }

    /** The first UID without \Seen, 0 when none; caller holds the lock. */
    public long firstUnseen() {
        return unseen.isEmpty() ? 0 : unseen.first();
    }

    /** How many messages lack \Seen; caller holds the lock. */
    public int unseenCount() {
        return unseen.size();
    }

    /** The keywords on at least one message, sorted (a copy); caller holds the lock. */
    public SortedSet<String> keywordsInUse() {
        return new TreeSet<>(keywordUse.keySet());
    }

    /** Keeps the unseen set and keyword counts in step with one entry's change (either side may be null). */
    private void track(MessageMeta before, MessageMeta after) {
        if (before != null) {
            if (!before.flags().contains(Flag.SEEN)) {
                unseen.remove(before.uid());
            }
            for (String k : before.keywords()) {
                keywordUse.computeIfPresent(k, (key, n) -> n == 1 ? null : n - 1);
            }
        }
        if (after != null) {
            if (!after.flags().contains(Flag.SEEN)) {
                unseen.add(after.uid());
            }
            for (String k : after.keywords()) {
                keywordUse.merge(k, 1, Integer::sum);
            }
        }
    }

    public int size() {
        return messages.size();
    }

    /** The live map; caller holds the lock and does not modify it. */
    public TreeMap<Long, MessageMeta> view() {
        return messages;
    }

    public Map<Long, List<Long>> expungeLog() {
        return expungeLog;
    }

    public Optional<List<Long>> expungedSince(long modSeq) {
        lock();
        try {
            if (modSeq < expungeLogFloor) {
                return Optional.empty();
            }
            List<Long> out = new ArrayList<>();
            for (List<Long> uids : expungeLog.tailMap(modSeq, false).values()) {
                out.addAll(uids);
            }
            out.sort(null);
            return Optional.of(out);
        } finally {
            unlock();
        }
    }

    // ---- mutators: caller holds the lock; each notifies every listener ----

    /** Loads messages without notifying (initial load). */
    public void load(Collection<MessageMeta> metas) {
        for (MessageMeta m : metas) {
            MessageMeta before = messages.put(m.uid(), m);
            if (before == null) {
                uidArray = null;
            }
            track(before, m);
            uidNext = Math.max(uidNext, m.uid() + 1);
            highestModSeq = Math.max(highestModSeq, m.modSeq());
        }
    }

    /**
     * {@link #load} for the initial load of an empty state from metas in strictly ascending UID order (an on-disk
     * index): the message tree and the unseen set are built in one linear pass each, not one insertion per
     * message. Anything else goes through {@link #load}.
     */
    public void loadAscending(List<MessageMeta> metas) {
        if (!messages.isEmpty() || !unseen.isEmpty() || metas.isEmpty() || !strictlyAscending(metas)) {
            load(metas);
            return;
        }
        messages.putAll(SortedListViews.map(metas, MessageMeta::uid));
        uidArray = null;
        List<Long> unseenUids = new ArrayList<>();
        for (MessageMeta m : metas) {
            if (!m.flags().contains(Flag.SEEN)) {
                unseenUids.add(m.uid());
            }
            for (String k : m.keywords()) {
                keywordUse.merge(k, 1, Integer::sum);
            }
            highestModSeq = Math.max(highestModSeq, m.modSeq());
        }
        if (!unseenUids.isEmpty()) {
            unseen.addAll(SortedListViews.set(unseenUids));
        }
        uidNext = Math.max(uidNext, metas.get(metas.size() - 1).uid() + 1);
    }

    private static boolean strictlyAscending(List<MessageMeta> metas) {
        long last = Long.MIN_VALUE;
        for (MessageMeta m : metas) {
            if (m.uid() <= last) {
                return false;
            }
            last = m.uid();
        }
        return true;
    }

    public void added(List<MessageMeta> metas) {
        if (metas.isEmpty()) {
            return;
        }
        load(metas);
        for (MailboxListener l : listeners) {
            l.added(metas);
        }
    }

    public void flagsChanged(List<MessageMeta> metas) {
        if (metas.isEmpty()) {
            return;
        }
        load(metas);
        for (MailboxListener l : listeners) {
            l.flagsChanged(metas);
        }
    }

    /** Removes these UIDs (those present), logging them under {@code modSeq}. */
    public List<Long> expunged(Collection<Long> uids, long modSeq) {
        List<Long> removed = new ArrayList<>();
        for (Long uid : uids) {
            MessageMeta gone = messages.remove(uid);
            if (gone != null) {
                track(gone, null);
                uidArray = null;
                removed.add(uid);
                cache.remove(uid);
                if (packed != null) {
                    packed.forget(uid);
                }
            }
        }
        if (removed.isEmpty()) {
            return removed;
        }
        removed.sort(null);
        highestModSeq = Math.max(highestModSeq, modSeq);
        expungeLog.computeIfAbsent(modSeq, k -> new ArrayList<>()).addAll(removed);
        List<Long> notice = List.copyOf(removed);
        for (MailboxListener l : listeners) {
            l.expunged(notice, modSeq);
        }
        return notice;
    }

    /** The mailbox was deleted or renamed away: every view learns it and becomes unusable. */
    public void markGone() {
        gone = true;
        for (MailboxListener l : listeners) {
            l.mailboxGone();
        }
    }

    /** Drops everything (UIDVALIDITY changed on disk); views see every old UID expunged. */
    public void clearAll(long modSeq) {
        expunged(new ArrayList<>(messages.keySet()), modSeq);
        expungeLog.clear();
        expungeLogFloor = modSeq;
        recentClaimedUpTo = 0;
    }

    // ---- cache ----

    public Optional<byte[]> cached(long uid, String key) {
        lock();
        try {
            Map<String, byte[]> entries = cache.get(uid);
            byte[] v = entries == null ? null : entries.get(key);
            if (v != null) {
                return Optional.of(v.clone());
            }
            return Optional.ofNullable(packedValue(uid, key));
        } finally {
            unlock();
        }
    }

    /**
     * The entry passed through {@code reader}, uncopied: stored arrays are never written after
     * {@link #putCacheLocked} copied them in, so the reader runs outside the lock on a stable array.
     * An entry of the bulk-loaded {@link PackedCache} is handed over as a fresh copy.
     */
    public <T> Optional<T> cachedAs(long uid, String key, java.util.function.Function<byte[], ? extends T> reader) {
        byte[] v;
        lock();
        try {
            Map<String, byte[]> entries = cache.get(uid);
            v = entries == null ? null : entries.get(key);
            if (v == null) {
                v = packedValue(uid, key);
            }
        } finally {
            unlock();
        }
        return v == null ? Optional.empty() : Optional.ofNullable(reader.apply(v));
    }

    /**
     * {@link #cachedAs} with the value handed over in place: a bulk-loaded entry as its range of the packed
     * chunk (whose bytes never change, so the reader runs outside the lock), no copy.
     */
    public <T> Optional<T> cachedSlice(long uid, String key, org.mailserver.storage.Mailbox.CacheSliceReader<? extends T> reader) {
        byte[] v;
        long range = -1;
        lock();
        try {
            Map<String, byte[]> entries = cache.get(uid);
            v = entries == null ? null : entries.get(key);
            if (v == null && packed != null) {
                PackedCache.Slice slice = packed.slice(uid, key);
                if (slice != null) {
                    v = slice.data();
                    range = (long) slice.offset() << 32 | slice.length();
                }
            }
        } finally {
            unlock();
        }
        if (v == null) {
            return Optional.empty();
        }
        return range < 0 ? Optional.ofNullable(reader.read(v, 0, v.length))
            : Optional.ofNullable(reader.read(v, (int) (range >>> 32), (int) range));
    }

    /** A copy of the bulk-loaded entry, else null; caller holds the lock. Expunges {@link PackedCache#forget} theirs. */
    private byte[] packedValue(long uid, String key) {
        return packed == null ? null : packed.get(uid, key);
    }

    /**
     * Installs entries loaded in bulk (initial load; caller holds the lock). Entries in the ordinary map
     * stay and win over these.
     */
    public void loadPackedCache(PackedCache entries) {
        packed = entries == null || entries.size() == 0 ? null : entries;
    }

    /** The bulk-loaded entries, or null; entries of messages no longer present may be among them. */
    public PackedCache packedCache() {
        return packed;
    }

    /** Drops every cache entry (UIDVALIDITY changed); caller holds the lock. */
    public void clearCache() {
        cache.clear();
        packed = null;
    }

    /** Stores a cache entry if the message exists; returns whether it was stored. Caller holds the lock. */
    public boolean putCacheLocked(long uid, String key, byte[] value) {
        if (!messages.containsKey(uid)) {
            return false;
        }
        cache.computeIfAbsent(uid, k -> new HashMap<>()).put(key, value.clone());
        return true;
    }

    public Map<Long, Map<String, byte[]>> cacheEntries() {
        return cache;
    }

    // ---- listeners ----

    public void addListener(MailboxListener l) {
        listeners.add(l);
    }

    public void removeListener(MailboxListener l) {
        listeners.remove(l);
    }
}
