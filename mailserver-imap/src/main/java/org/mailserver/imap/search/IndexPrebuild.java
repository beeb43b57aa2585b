package org.mailserver.imap.search;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.mailserver.imap.mime.HeaderSummary;
import org.mailserver.imap.session.FairWorkPool;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageException;

/**
 * Builds the Subject column of a mailbox's {@link FoldedHeaderIndex} ahead of the first SEARCH SUBJECT:
 * started by SELECT/EXAMINE of a large mailbox ({@code imap_search_prebuild_messages}) as a background task
 * of the IMAP work pool, through {@link MimeSearchEvaluator#prepare}. It computes exactly the entries a search
 * would ({@link CachedFieldValues} on the cached header summary) and hands them to the index the same way
 * ({@link FoldedHeaderIndex#publish}), so results cannot differ; it only moves the work before the command.
 *
 * <p>Bounded: reads only header summaries already in the store's cache (a message without one is left to
 * the first search, which reads its file), skips messages the column already has, runs once per field at a
 * time per mailbox, does nothing when the indexes of all mailboxes already take half of
 * {@link FoldedHeaderIndex#MAX_BYTES} (a speculative build never evicts what searches use), yields its pool
 * slot like a search ({@link FairWorkPool#yieldPoint}) and stops, publishing nothing, when {@code cancelled}
 * (the session left the mailbox). Messages delivered after its snapshot of the mailbox are computed by the
 * first search that sees them; messages expunged meanwhile are dropped by the index's usual compaction.
 * Stateless; thread-safe.
 */
final class IndexPrebuild {

    /** The fields built ahead: SUBJECT is the header key clients search most (Thunderbird's quick filter). */
    static final List<String> FIELDS = List.of("subject");

    /** Heap estimate per entry used to decide whether a build fits the budget (as Column counts it). */
    private static final long ENTRY_BYTES = 12 + 56 + 2 * 48;

    private IndexPrebuild() {
    }

    /** Builds the missing entries of {@link #FIELDS}; returns how many were added (0 when skipped or cancelled). */
    static int run(Mailbox mailbox, BooleanSupplier cancelled) throws StorageException {
        FoldedHeaderIndex index = FoldedHeaderIndex.of(mailbox);
        int added = 0;
        for (String field : FIELDS) {
            if (!index.startBuild(field)) {
                continue; // another session's SELECT is building it
            }
            try {
                added += build(mailbox, index, field, cancelled);
            } finally {
                index.endBuild(field);
            }
        }
        return added;
    }

    private static int build(Mailbox mailbox, FoldedHeaderIndex index, String field, BooleanSupplier cancelled)
        throws StorageException {
        FoldedHeaderIndex.Column column = index.column(field);
        if (column.size >= mailbox.uids().length) {
            return 0; // built by a search or an earlier SELECT: known without listing the messages
        }
        List<MessageMeta> messages = mailbox.messages();
        int n = messages.size();
        if (FoldedHeaderIndex.totalBytes() + (n - column.size) * ENTRY_BYTES > FoldedHeaderIndex.MAX_BYTES / 2) {
            return 0;
        }
        long[] live = new long[n];
        long[] uids = new long[n];
        Object[] values = new Object[uids.length];
        int count = 0;
        int pos = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 255) == 0 && cancelled.getAsBoolean()) {
                return 0;
            }
            FairWorkPool.yieldPoint();
            long uid = messages.get(i).uid();
            live[i] = uid;
            int at = column.find(uid, pos);
            if (at >= 0) {
                pos = at;
                continue;
            }
            Object v = mailbox.cachedAs(uid, HeaderSummary.CACHE_KEY, b -> CachedFieldValues.fold(b, field)).orElse(null);
            if (v == null) {
                continue; // no summary cached: left to the first search (no file is read in the background)
            }
            uids[count] = uid;
            values[count++] = v == CachedFieldValues.NO_FIELD ? null : v;
        }
        if (count > 0 && !cancelled.getAsBoolean()) {
            index.publish(field, uids, values, count, live, n == 0 ? 0 : live[n - 1]);
            return count;
        }
        return 0;
    }
}
