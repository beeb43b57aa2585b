package org.mailserver.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A queue file as read into memory: the envelope, where the content lies in the file, and what has
 * happened to each recipient. The queue manager updates the recipient states only after the
 * matching record has been appended and forced to disk ({@link QueueFile#append}).
 */
public final class QueuedMessage {

    /** The final outcome of one recipient, as written in its 'D' record. */
    public enum Outcome {
        /** Delivered (or relayed) with a 2xx reply. */
        SENT,
        /** Refused permanently; a DSN was sent to the sender unless NOTIFY said otherwise. */
        BOUNCED,
        /** Still deferred when the queue lifetime ran out; bounced with the last deferral reason. */
        EXPIRED
    }

    /** What the queue knows about one recipient. Guarded by the owning message. */
    public static final class RecipientState {
        /** Non-null once the recipient is finished. */
        Outcome done;
        /** An 'I' record without a later 'D'/'F': a local delivery may or may not have happened. */
        boolean inDoubt;
        String lastDsn;
        String lastReply;

        public Outcome done() {
            return done;
        }

        public boolean inDoubt() {
            return inDoubt;
        }

        public String lastDsn() {
            return lastDsn;
        }

        public String lastReply() {
            return lastReply;
        }
    }

    private final String id;
    private final Envelope envelope;
    private final List<RecipientState> states;
    private final List<long[]> contentSegments;
    private final long contentSize;
    private int attempts;
    private Instant lastAttempt;
    private boolean warned;

    QueuedMessage(String id, Envelope envelope, List<RecipientState> states, List<long[]> contentSegments,
                  long contentSize, int attempts, Instant lastAttempt, boolean warned) {
        this.id = id;
        this.envelope = envelope;
        this.states = states;
        this.contentSegments = contentSegments;
        this.contentSize = contentSize;
        this.attempts = attempts;
        this.lastAttempt = lastAttempt;
        this.warned = warned;
    }

    public String id() {
        return id;
    }

    public Envelope envelope() {
        return envelope;
    }

    public Instant arrival() {
        return envelope.arrival();
    }

    public long contentSize() {
        return contentSize;
    }

    List<long[]> contentSegments() {
        return contentSegments;
    }

    public synchronized RecipientState state(int index) {
        return states.get(index);
    }

    public synchronized int attempts() {
        return attempts;
    }

    public synchronized Instant lastAttempt() {
        return lastAttempt;
    }

    public synchronized boolean warned() {
        return warned;
    }

    /** Indexes of recipients not yet done. */
    public synchronized List<Integer> pendingRecipients() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).done == null) {
                out.add(i);
            }
        }
        return out;
    }

    public synchronized boolean finished() {
        return pendingRecipients().isEmpty();
    }

    /** The last deferral reason of any pending recipient, for {@code queue list}. */
    public synchronized String lastDeferralReason() {
        for (RecipientState st : states) {
            if (st.done == null && st.lastReply != null && !st.lastReply.isEmpty()) {
                return st.lastReply;
            }
        }
        return null;
    }

    synchronized void markAttempt(Instant when) {
        attempts++;
        lastAttempt = when;
    }

    synchronized void markWarned() {
        warned = true;
    }

    synchronized void markDeferred(int index, String dsn, String reply) {
        RecipientState st = states.get(index);
        st.inDoubt = false;
        st.lastDsn = dsn;
        st.lastReply = reply;
    }

    synchronized void markDone(int index, Outcome outcome, String dsn, String reply) {
        RecipientState st = states.get(index);
        st.inDoubt = false;
        st.done = outcome;
        st.lastDsn = dsn;
        st.lastReply = reply;
    }
}
