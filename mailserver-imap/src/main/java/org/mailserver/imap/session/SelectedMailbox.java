package org.mailserver.imap.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MailboxListener;
import org.mailserver.storage.MessageMeta;

/**
 * The session's view of its selected mailbox: the sequence-number map (RFC 3501 2.3.1.2) as the client
 * knows it, the \Recent UIDs, and the changes made through other views that the client has not been told
 * about yet. Changes arrive from the store's {@link MailboxListener} on the thread that made them and are
 * queued there at once, in arrival order, so that a change is in the queue before the command that made it
 * answers its client; the queue waits until the session reaches a point where RFC 3501 7.4.1 allows reporting
 * them ({@link #drainUpdates}). Only the wake-up ({@code onChange}, for IDLE) hops to the session's event
 * loop. Queuing on the event loop instead lost the order against the socket: Netty reads a pending command
 * before it runs pending tasks, so a FETCH answered inline could go out before an earlier APPEND by another
 * session had been queued. The queue is guarded by its own monitor; everything else is event-loop only.
 */
public final class SelectedMailbox {

    /** A change not yet reported. */
    private sealed interface Change {
    }

    private record Added(List<MessageMeta> metas) implements Change {
    }

    private record FlagsChanged(List<MessageMeta> metas) implements Change {
    }

    private record Expunged(List<Long> uids, long modSeq) implements Change {
    }

    private final Mailbox mailbox;
    private final boolean readOnly;
    private final Set<Long> recent = new HashSet<>();
    private long[] uids = new long[16];
    private int count;
    /** Guarded by itself: the store's threads add, the event loop drains. */
    private final Deque<Change> pending = new ArrayDeque<>();
    private volatile boolean gone;
    private volatile boolean closed;
    private MailboxListener listener;

    /**
     * Call {@link #listen} first, then {@link #load} with a snapshot taken after it, so that no change falls
     * between the snapshot and the feed (changes seen twice are harmless: known UIDs are skipped).
     */
    public SelectedMailbox(Mailbox mailbox, boolean readOnly) {
        this.mailbox = mailbox;
        this.readOnly = readOnly;
    }

    /** The initial sequence map (may run on the blocking thread, before the view is handed to the session). */
    public void load(List<MessageMeta> messages, Set<Long> recentUids) {
        uids = new long[Math.max(16, messages.size())];
        count = 0;
        for (MessageMeta m : messages) {
            uids[count++] = m.uid();
        }
        recent.addAll(recentUids);
    }

    /** The initial sequence map from the store's UIDs (ascending; the array is taken over, not copied). */
    public void load(long[] ascendingUids, Set<Long> recentUids) {
        uids = ascendingUids.length >= 16 ? ascendingUids : Arrays.copyOf(ascendingUids, 16);
        count = ascendingUids.length;
        recent.addAll(recentUids);
    }

    /** Registers with the store; {@code onChange} runs on the event loop after each queued change. */
    public void listen(java.util.concurrent.Executor eventLoop, Runnable onChange) {
        listener = new MailboxListener() {
            @Override
            public void added(List<MessageMeta> messages) {
                record(new Added(List.copyOf(messages)), eventLoop, onChange);
            }

            @Override
            public void flagsChanged(List<MessageMeta> messages) {
                record(new FlagsChanged(List.copyOf(messages)), eventLoop, onChange);
            }

            @Override
            public void expunged(List<Long> expunged, long modSeq) {
                record(new Expunged(List.copyOf(expunged), modSeq), eventLoop, onChange);
            }

            @Override
            public void mailboxGone() {
                gone = true;
                wake(eventLoop, onChange);
            }
        };
        mailbox.addListener(listener);
    }

    /** On the thread that made the change: queued before that thread goes on to answer its own client. */
    private void record(Change change, java.util.concurrent.Executor eventLoop, Runnable onChange) {
        synchronized (pending) {
            pending.add(change);
        }
        wake(eventLoop, onChange);
    }

    /** The store's thread must not fail over a session whose event loop is shutting down (daemon stop). */
    private static void wake(java.util.concurrent.Executor eventLoop, Runnable onChange) {
        try {
            eventLoop.execute(onChange);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the session is going away with its event loop: nobody is left to tell
        }
    }

    public void close() {
        closed = true;
        if (listener != null) {
            mailbox.removeListener(listener);
        }
        mailbox.close();
    }

    private final java.util.concurrent.atomic.AtomicBoolean settling = new java.util.concurrent.atomic.AtomicBoolean();

    /** Whether the caller may start filing the new messages: false while an earlier run has not ended. */
    public boolean startSettling() {
        return settling.compareAndSet(false, true);
    }

    /** The filing of new messages ended (done, paused for good, or failed): the next IDLE may start another. */
    public void settlingEnded() {
        settling.set(false);
    }

    /** The session left this mailbox (any thread may ask: background work on the view stops). */
    public boolean closed() {
        return closed;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** The mailbox was deleted or renamed away (the session answers BYE, as Dovecot does). */
    public boolean gone() {
        return gone;
    }

    public Set<Long> recent() {
        return recent;
    }

    private List<Long> savedResult = List.of();

    /** The UIDs saved by {@code SEARCH RETURN (SAVE)} (RFC 5182); empty after SELECT. */
    public List<Long> savedResult() {
        return savedResult;
    }

    public void saveResult(List<Long> uids) {
        savedResult = List.copyOf(uids);
    }

    public int exists() {
        return count;
    }

    /** UID of a sequence number (1-based). */
    public long uidAt(int seq) {
        return uids[seq - 1];
    }

    /** Sequence number of a UID, or 0 when the client does not know it. */
    public int seqOf(long uid) {
        int i = Arrays.binarySearch(uids, 0, count, uid);
        return i < 0 ? 0 : i + 1;
    }

    /** The highest UID the client knows, 0 when empty. */
    public long maxUid() {
        return count == 0 ? 0 : uids[count - 1];
    }

    /** The known UIDs in the set of UIDs, ascending (RFC 3501 6.4.8), without copying the sequence map. */
    public List<Long> uidsIn(org.mailserver.imap.codec.SequenceSet set) {
        return set.select(uids, count);
    }

    /** The UIDs at the set's sequence numbers, ascending; numbers beyond EXISTS are ignored. */
    public List<Long> uidsAtSeqs(org.mailserver.imap.codec.SequenceSet set) {
        return set.atPositions(uids, count);
    }

    /** The UIDs the client knows, ascending. */
    public long[] uids() {
        return Arrays.copyOf(uids, count);
    }

    /**
     * Our own STORE already reported these flag changes: drop the echo from the queue. The store queued the
     * echo before it returned the result, so it is there now. A later change to the same message by another
     * session (a higher MODSEQ) is not an echo and stays.
     */
    public void dropFlagEchoes(List<MessageMeta> reported) {
        if (reported.isEmpty()) {
            return;
        }
        java.util.Map<Long, Long> reportedModSeq = new java.util.HashMap<>();
        for (MessageMeta m : reported) {
            reportedModSeq.put(m.uid(), m.modSeq());
        }
        synchronized (pending) {
            List<Change> kept = new ArrayList<>(pending.size());
            for (Change c : pending) {
                if (c instanceof FlagsChanged f) {
                    List<MessageMeta> rest = f.metas().stream()
                        .filter(m -> m.modSeq() > reportedModSeq.getOrDefault(m.uid(), -1L)).toList();
                    if (!rest.isEmpty()) {
                        kept.add(rest.size() == f.metas().size() ? f : new FlagsChanged(rest));
                    }
                } else {
                    kept.add(c);
                }
            }
            pending.clear();
            pending.addAll(kept);
        }
    }

    /** Receives the updates to report, as the session formats them. */
    public interface UpdateSink {
        /** One message expunged (seq is its number before removal). */
        void expunged(int seq, long uid);

        /** The new message count after additions. */
        void exists(int count);

        /** A message's flags changed. */
        void flags(int seq, MessageMeta meta);
    }

    /**
     * Applies and reports pending changes in arrival order. When {@code allowExpunge} is false (during
     * FETCH/STORE/SEARCH by sequence number, RFC 3501 7.4.1) the first expunge stops the drain so that
     * sequence numbers stay stable; everything after it waits for the next allowed point.
     */
    public void drainUpdates(boolean allowExpunge, UpdateSink sink) {
        int countBefore = count;
        boolean added = false;
        Change c;
        while ((c = nextPending()) != null) {
            if (c instanceof Expunged e) {
                if (!allowExpunge) {
                    break;
                }
                if (added) {
                    sink.exists(count); // EXISTS first: the client must know the messages it will see expunged
                    added = false;
                    countBefore = count;
                }
                for (long uid : e.uids()) {
                    int seq = seqOf(uid);
                    if (seq > 0) {
                        System.arraycopy(uids, seq, uids, seq - 1, count - seq);
                        count--;
                        recent.remove(uid);
                        sink.expunged(seq, uid);
                    }
                }
                countBefore = count;
            } else if (c instanceof Added a) {
                for (MessageMeta m : a.metas()) {
                    if (m.uid() > maxUid()) {
                        if (count == uids.length) {
                            uids = Arrays.copyOf(uids, count * 2);
                        }
                        uids[count++] = m.uid();
                        added = true;
                    }
                }
            } else if (c instanceof FlagsChanged f) {
                if (added) {
                    sink.exists(count);
                    added = false;
                    countBefore = count;
                }
                for (MessageMeta m : f.metas()) {
                    int seq = seqOf(m.uid());
                    if (seq > 0) {
                        sink.flags(seq, m);
                    }
                }
            }
            synchronized (pending) {
                pending.poll(); // the head is still c: only this thread removes
            }
        }
        if (added && count != countBefore) {
            sink.exists(count);
        }
    }

    private Change nextPending() {
        synchronized (pending) {
            return pending.peek();
        }
    }

}
