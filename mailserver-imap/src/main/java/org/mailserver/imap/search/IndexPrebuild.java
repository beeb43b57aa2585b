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
 * created by {@link MimeSearchEvaluator#prepare} when SELECT/EXAMINE opens a large mailbox
 * ({@code imap_search_prebuild_messages}), and run in steps by the protocol layer on its work pool while
 * nothing else runs there. It computes exactly the entries a search would ({@link CachedFieldValues} on the
 * cached header summary) and hands them to the index the same way ({@link FoldedHeaderIndex#publish}), so
 * results cannot differ; it only moves the work before the command.
 *
 * <p>Bounded: reads only header summaries already in the store's cache (a message without one is left to
 * the first search, which reads its file), skips messages the column already has, is claimed per mailbox
 * ({@link FoldedHeaderIndex#startBuild}: 50 sessions selecting one mailbox build it once), does nothing when
 * the indexes of all mailboxes already take half of {@link FoldedHeaderIndex#MAX_BYTES} (a speculative build
 * never evicts what searches use), and stops when {@code cancelled} (the session left the mailbox) or
 * {@link #abandon abandoned}, handing over what it computed so far. Messages delivered after its snapshot of the mailbox are
 * computed by the first search that sees them; messages expunged meanwhile are dropped by the index's usual
 * compaction. One instance per SELECT; its steps run one at a time (not thread-safe otherwise).
 */
final class IndexPrebuild implements SearchEvaluator.BackgroundWork {

    /** The field built ahead: SUBJECT is the header key clients search most (Thunderbird's quick filter). */
    static final String FIELD = "subject";

    /** Heap estimate per entry used to decide whether a build fits the budget (as Column counts it). */
    private static final long ENTRY_BYTES = 12 + 56 + 2 * 48;
    /** Messages between two looks at {@code pause} and {@code cancelled}: well under a millisecond of work. */
    private static final int CHUNK = 256;

    private final Mailbox mailbox;
    private final BooleanSupplier cancelled;
    private FoldedHeaderIndex index;
    private FoldedHeaderIndex.Column column;
    private boolean claimed;
    private boolean finished;
    private boolean done;
    private List<MessageMeta> messages;
    private long[] live;
    private long[] uids;
    private Object[] values;
    private int count;
    private int next;
    private int pos;

    IndexPrebuild(Mailbox mailbox, BooleanSupplier cancelled) {
        this.mailbox = mailbox;
        this.cancelled = cancelled;
    }

    /** Builds the whole column at once (tests); returns the entries added. */
    static int run(Mailbox mailbox, BooleanSupplier cancelled) throws StorageException {
        IndexPrebuild p = new IndexPrebuild(mailbox, cancelled);
        p.step(() -> false);
        return p.added();
    }

    /** Entries handed to the index (0 until it finished or stopped early with some computed). */
    int added() {
        return finished ? count : 0;
    }

    @Override
    public boolean step(BooleanSupplier pause) throws StorageException {
        if (done) {
            return true;
        }
        try {
            if (cancelled.getAsBoolean()) {
                abandon();
                return true;
            }
            if (messages == null && pause.getAsBoolean()) {
                return false; // not even the set-up (listing the messages) while others work
            }
            if (messages == null && !begin()) {
                abandon();
                return true;
            }
            int n = messages.size();
            while (next < n) {
                if (next % CHUNK == 0) {
                    if (cancelled.getAsBoolean()) {
                        abandon();
                        return true;
                    }
                    if (pause.getAsBoolean()) {
                        return false;
                    }
                }
                FairWorkPool.yieldPoint();
                add(messages.get(next++).uid());
            }
            if (count > 0) {
                index.publish(FIELD, uids, values, count, live, n == 0 ? 0 : live[n - 1]);
            }
            finished = true;
            done = true;
            release();
            return true;
        } catch (StorageException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /** Decides whether to build and claims the build; false when there is nothing to do (or no room). */
    private boolean begin() throws StorageException {
        index = FoldedHeaderIndex.of(mailbox);
        column = index.column(FIELD);
        if (column.size >= mailbox.uids().length) {
            return false; // built by a search or an earlier SELECT: known without listing the messages
        }
        if (!index.startBuild(FIELD)) {
            return false; // another session's SELECT is building it
        }
        claimed = true;
        List<MessageMeta> all = mailbox.messages();
        int n = all.size();
        if (FoldedHeaderIndex.totalBytes() + (long) Math.max(0, n - column.size) * ENTRY_BYTES > FoldedHeaderIndex.MAX_BYTES / 2) {
            return false;
        }
        messages = all;
        live = new long[n];
        uids = new long[n];
        values = new Object[n];
        return true;
    }

    private void add(long uid) {
        live[next - 1] = uid;
        int at = column.find(uid, pos);
        if (at >= 0) {
            pos = at;
            return;
        }
        Object v = mailbox.cachedAs(uid, HeaderSummary.CACHE_KEY, b -> CachedFieldValues.fold(b, FIELD)).orElse(null);
        if (v == null) {
            return; // no summary cached: left to the first search (no file is read in the background)
        }
        uids[count] = uid;
        values[count++] = v == CachedFieldValues.NO_FIELD ? null : v;
    }

    /**
     * Stops, handing the index what was computed so far (the entries are as valid as a finished build's, and
     * the next SELECT or search goes on from there instead of starting over).
     */
    @Override
    public void abandon() {
        if (!done) {
            done = true;
            if (count > 0 && index != null && live != null) {
                index.publish(FIELD, uids, values, count, java.util.Arrays.copyOf(live, next), next == 0 ? 0 : live[next - 1]);
                finished = true; // count entries were handed over
            }
        }
        messages = null;
        release();
    }

    private void release() {
        if (claimed) {
            claimed = false;
            index.endBuild(FIELD);
        }
        live = null;
        uids = null;
        values = null;
    }
}
