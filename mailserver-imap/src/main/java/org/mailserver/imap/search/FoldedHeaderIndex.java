package org.mailserver.imap.search;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.mailserver.storage.Mailbox;

/**
 * The values SEARCH compares header keys against, kept in memory per mailbox and shared by every session
 * that has it open: for each header field asked about (only those of
 * {@link org.mailserver.imap.mime.HeaderSummary#CACHED_FIELDS}), and each message, the field's values
 * already RFC 2047-decoded and {@link TextFolding folded}, exactly what {@code MimeSearchEvaluator} used to
 * compute per message and per search. A search over a warm 10,000-message mailbox then costs one substring
 * test per message, with no cache decoding, header parsing, NFKC normalisation or object allocated per
 * message (RFC 3501 6.4.4 / RFC 9051 6.4.4 semantics unchanged: substring, case-insensitive, decoded).
 *
 * <p>Built lazily, one field (a {@link Column}) at a time, by the searches themselves: a message missing
 * from a column is computed from the store's cached header summary (the file is read only when that is
 * missing too) and added at the end of the search. A UID names the same immutable message for the whole
 * life of a UIDVALIDITY (RFC 3501 2.3.1.1), so entries never go stale: a new UIDVALIDITY replaces the
 * whole index, and entries of expunged messages are only dropped (compaction) to save memory.
 *
 * <p>Memory is bounded for the whole JVM by {@link #MAX_BYTES} (an estimate of the heap the strings and
 * arrays take): when a new column version would exceed it, the least recently used mailboxes' columns are
 * dropped (rebuilt by their next search). Mailboxes are keyed weakly by {@link Mailbox#sharedKey()}.
 * Thread-safe: columns are immutable snapshots, replaced under the index's lock.
 */
final class FoldedHeaderIndex {

    /** Heap the indexes of all mailboxes may take, estimated: about 200,000 messages' worth of four fields. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private static final Map<Object, FoldedHeaderIndex> INDEXES = new WeakHashMap<>();

    private final long uidValidity;
    private final Map<String, Column> columns = new ConcurrentHashMap<>();
    /** Fields whose column a background {@link IndexPrebuild} is building (one build per field at a time). */
    private final java.util.Set<String> building = ConcurrentHashMap.newKeySet();
    private volatile long lastUsed;

    private FoldedHeaderIndex(long uidValidity) {
        this.uidValidity = uidValidity;
    }

    /** The index of this mailbox (a fresh one when its UIDVALIDITY changed). */
    static FoldedHeaderIndex of(Mailbox mailbox) {
        long validity = mailbox.uidValidity();
        synchronized (INDEXES) {
            FoldedHeaderIndex idx = INDEXES.get(mailbox.sharedKey());
            if (idx == null || idx.uidValidity != validity) {
                idx = new FoldedHeaderIndex(validity);
                INDEXES.put(mailbox.sharedKey(), idx);
            }
            idx.lastUsed = System.nanoTime();
            return idx;
        }
    }

    /** The current column of a field (lower-case name), empty when never built or dropped. */
    Column column(String field) {
        return columns.getOrDefault(field.toLowerCase(Locale.ROOT), Column.EMPTY);
    }

    /** Claims the background build of a field's column; false when another one runs. */
    boolean startBuild(String field) {
        return building.add(field.toLowerCase(Locale.ROOT));
    }

    void endBuild(String field) {
        building.remove(field.toLowerCase(Locale.ROOT));
    }

    /**
     * Adds the entries a search computed ({@code uids} ascending, values as in {@link Column}) and drops
     * entries of messages that are gone: those below {@code liveUpTo} that are not in {@code live} (the
     * searched messages, ascending). Then enforces {@link #MAX_BYTES}.
     */
    void publish(String field, long[] uids, Object[] values, int count, long[] live, long liveUpTo) {
        String key = field.toLowerCase(Locale.ROOT);
        synchronized (this) {
            Column merged = Column.merge(columns.getOrDefault(key, Column.EMPTY), uids, values, count, live, liveUpTo);
            columns.put(key, merged);
        }
        enforceBudget(this);
    }

    long bytes() {
        long b = 0;
        for (Column c : columns.values()) {
            b += c.bytes;
        }
        return b;
    }

    /** Drops whole mailboxes, least recently used first (never {@code keep}'s newest state), until under budget. */
    private static void enforceBudget(FoldedHeaderIndex keep) {
        synchronized (INDEXES) {
            long total = 0;
            for (FoldedHeaderIndex i : INDEXES.values()) {
                total += i.bytes();
            }
            while (total > MAX_BYTES) {
                FoldedHeaderIndex oldest = null;
                for (FoldedHeaderIndex i : INDEXES.values()) {
                    if (i != keep && i.bytes() > 0 && (oldest == null || i.lastUsed < oldest.lastUsed)) {
                        oldest = i;
                    }
                }
                if (oldest == null) {
                    oldest = keep; // this mailbox alone is over budget: keep nothing in memory for it
                }
                total -= oldest.bytes();
                oldest.columns.clear();
                if (oldest == keep) {
                    break;
                }
            }
            for (Iterator<FoldedHeaderIndex> it = INDEXES.values().iterator(); it.hasNext(); ) {
                if (it.next().columns.isEmpty() && INDEXES.size() > 1024) {
                    it.remove(); // do not keep empty shells of many mailboxes
                }
            }
        }
    }

    /** Forgets every index (tests). */
    static void clearAll() {
        synchronized (INDEXES) {
            INDEXES.clear();
        }
    }

    /** Estimated heap of all indexes (tests). */
    static long totalBytes() {
        synchronized (INDEXES) {
            long total = 0;
            for (FoldedHeaderIndex i : INDEXES.values()) {
                total += i.bytes();
            }
            return total;
        }
    }

    /**
     * One field's values for the messages of a mailbox, immutable. {@code values[i]} belongs to
     * {@code uids[i]} (ascending): null when the message has no such field, a String for one value, a
     * String[] for several (in header order); each value decoded and folded.
     */
    static final class Column {
        static final Column EMPTY = new Column(new long[0], new Object[0], 0, 0);
        /** Estimated heap of a String beyond its characters, and of an array slot pair. */
        private static final int STRING_OVERHEAD = 56;
        private static final int SLOT = 12;

        final long[] uids;
        final Object[] values;
        final int size;
        final long bytes;

        private Column(long[] uids, Object[] values, int size, long bytes) {
            this.uids = uids;
            this.values = values;
            this.size = size;
            this.bytes = bytes;
        }

        /** Position of uid at or after {@code from}, or a negative number when absent. */
        int find(long uid, int from) {
            if (from < size && uids[from] == uid) {
                return from;
            }
            if (from + 1 < size && uids[from + 1] == uid) {
                return from + 1; // the next message of a search in UID order: the usual case
            }
            if (from < size && uids[from] > uid) {
                return Arrays.binarySearch(uids, 0, from, uid);
            }
            return Arrays.binarySearch(uids, Math.min(from, size), size, uid);
        }

        static Column merge(Column old, long[] addUids, Object[] addValues, int addCount, long[] live, long liveUpTo) {
            int cap = old.size + addCount;
            long[] u = new long[cap];
            Object[] v = new Object[cap];
            long bytes = 0;
            int n = 0;
            int i = 0;
            int j = 0;
            int l = 0;
            while (i < old.size || j < addCount) {
                long uid;
                Object val;
                if (j >= addCount || (i < old.size && old.uids[i] < addUids[j])) {
                    uid = old.uids[i];
                    val = old.values[i++];
                    if (uid <= liveUpTo) {
                        while (l < live.length && live[l] < uid) {
                            l++;
                        }
                        if (l >= live.length || live[l] != uid) {
                            continue; // expunged: drop
                        }
                    }
                } else {
                    uid = addUids[j];
                    val = addValues[j++];
                    if (i < old.size && old.uids[i] == uid) {
                        i++; // computed twice by concurrent searches: same message, same value
                    }
                }
                u[n] = uid;
                v[n] = val;
                bytes += SLOT + sizeOf(val);
                n++;
            }
            return new Column(u, v, n, bytes);
        }

        private static long sizeOf(Object val) {
            if (val instanceof String s) {
                return STRING_OVERHEAD + 2L * s.length();
            }
            if (val instanceof String[] a) {
                long b = 16 + 4L * a.length;
                for (String s : a) {
                    b += STRING_OVERHEAD + 2L * s.length();
                }
                return b;
            }
            return 0;
        }
    }
}
