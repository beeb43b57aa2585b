package org.mailserver.imap.search;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mailserver.imap.mime.Header;
import org.mailserver.imap.mime.HeaderDecoder;
import org.mailserver.imap.mime.HeaderSummary;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageException;

/**
 * One search's access to the {@link FoldedHeaderIndex} of its mailbox: per header field, the column as it
 * was when the search first asked for that field, a position that follows the search through its messages
 * (in UID order, so finding the next one is usually a single comparison), and the values of the messages
 * the column lacked, computed from the header summary and handed to the index by {@link #publish}. Created
 * per search; not thread-safe.
 */
final class HeaderColumns {
    private final Mailbox mailbox;
    private final Map<String, Cursor> cursors = new HashMap<>(4);
    private final Map<String, Boolean> indexedFields = new HashMap<>(4);
    private FoldedHeaderIndex index;

    HeaderColumns(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    /** True when HEADER/FROM/SUBJECT... on this field can be answered from the index (memoised per search). */
    boolean indexed(String field) {
        return indexedFields.computeIfAbsent(field, f -> HeaderSummary.covers(List.of(f)));
    }

    /**
     * RFC 3501 6.4.4 HEADER (and FROM, TO, CC, BCC, SUBJECT): the message has the field and one of its
     * decoded values contains {@code foldedNeedle}; an empty needle matches any message having the field.
     */
    boolean matches(MessageFacts f, String field, String foldedNeedle) throws StorageException {
        Object v = values(f, field);
        if (v == null) {
            return false;
        }
        if (foldedNeedle.isEmpty()) {
            return true;
        }
        if (v instanceof String s) {
            return s.contains(foldedNeedle);
        }
        for (String s : (String[]) v) {
            if (s.contains(foldedNeedle)) {
                return true;
            }
        }
        return false;
    }

    /** The folded values of the field for this message, as stored in a {@link FoldedHeaderIndex.Column}. */
    Object values(MessageFacts f, String field) throws StorageException {
        Cursor c = cursors.get(field);
        if (c == null) {
            if (index == null) {
                index = FoldedHeaderIndex.of(mailbox);
            }
            c = new Cursor(index.column(field));
            cursors.put(field, c);
        }
        long uid = f.meta().uid();
        int p = c.column.find(uid, c.pos);
        if (p >= 0) {
            c.pos = p;
            return c.column.values[p];
        }
        if (c.count > 0 && c.uids[c.count - 1] == uid) {
            return c.values[c.count - 1]; // asked twice for the same message (e.g. FROM a OR FROM b)
        }
        Object v = fromCache(uid, field);
        if (v == null) {
            v = fold(f.headerFor(field), field); // no summary cached yet: computed (and cached) from the file
        } else if (v == CachedFieldValues.NO_FIELD) {
            v = null;
        }
        c.add(uid, v);
        return v;
    }

    /** The values read in place from the cached summary, {@link CachedFieldValues#NO_FIELD}, or null on a miss. */
    private Object fromCache(long uid, String field) {
        return mailbox.cachedAs(uid, HeaderSummary.CACHE_KEY, bytes -> CachedFieldValues.fold(bytes, field)).orElse(null);
    }

    /** Folds every value of the field: null when absent, one String, or a String[] in header order. */
    static Object fold(Header h, String field) {
        List<String> raw = h.values(field);
        if (raw.isEmpty()) {
            return null;
        }
        if (raw.size() == 1) {
            return TextFolding.fold(HeaderDecoder.decode(raw.get(0)));
        }
        String[] out = new String[raw.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = TextFolding.fold(HeaderDecoder.decode(raw.get(i)));
        }
        return out;
    }

    /**
     * Hands what this search computed to the shared index, and lets it drop entries of messages that are
     * no longer in {@code messages} (this search's candidates, UID order) when the column has many of them.
     */
    void publish(List<MessageMeta> messages) {
        for (Map.Entry<String, Cursor> e : cursors.entrySet()) {
            Cursor c = e.getValue();
            int n = messages.size();
            boolean compact = c.column.size > n + n / 4 + 64;
            if (c.count == 0 && !compact) {
                continue;
            }
            long[] live = new long[n];
            for (int i = 0; i < n; i++) {
                live[i] = messages.get(i).uid();
            }
            long upTo = n == 0 ? 0 : live[n - 1];
            if (!isAscending(c.uids, c.count)) {
                sortTogether(c);
            }
            index.publish(e.getKey(), c.uids, c.values, c.count, live, upTo);
        }
    }

    private static boolean isAscending(long[] a, int n) {
        for (int i = 1; i < n; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Candidates normally come in UID order; if not, sort the computed entries (and drop duplicates). */
    private static void sortTogether(Cursor c) {
        Integer[] order = new Integer[c.count];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(c.uids[a], c.uids[b]));
        long[] u = new long[c.count];
        Object[] v = new Object[c.count];
        int n = 0;
        for (Integer i : order) {
            if (n > 0 && u[n - 1] == c.uids[i]) {
                continue;
            }
            u[n] = c.uids[i];
            v[n++] = c.values[i];
        }
        c.uids = u;
        c.values = v;
        c.count = n;
    }

    private static final class Cursor {
        final FoldedHeaderIndex.Column column;
        int pos;
        long[] uids = new long[16];
        Object[] values = new Object[16];
        int count;

        Cursor(FoldedHeaderIndex.Column column) {
            this.column = column;
        }

        void add(long uid, Object v) {
            if (count == uids.length) {
                uids = Arrays.copyOf(uids, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            uids[count] = uid;
            values[count++] = v;
        }
    }
}
