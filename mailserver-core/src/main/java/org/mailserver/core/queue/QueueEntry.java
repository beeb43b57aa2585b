package org.mailserver.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One message as the queue tools show it: what {@code mailq} prints and {@code postqueue -j} emits.
 *
 * @param recipients the recipients not yet done, each with its last deferral reason (or null)
 */
public record QueueEntry(String id, QueueState state, long size, Instant arrival, String sender, List<Pending> recipients) {

    /** A recipient still to be delivered. */
    public record Pending(String address, String reason) {
    }

    public static QueueEntry of(QueuedMessage m, QueueState state) {
        List<Pending> pending = new ArrayList<>();
        for (int i : m.pendingRecipients()) {
            QueuedMessage.RecipientState st = m.state(i);
            pending.add(new Pending(m.envelope().recipients().get(i).address(),
                st.lastReply() == null || st.lastReply().isEmpty() ? null : st.lastReply()));
        }
        return new QueueEntry(m.id(), state, m.contentSize(), m.arrival(), m.envelope().sender(), pending);
    }
}
