package org.mailserver.core.delivery;

import java.io.IOException;

/**
 * How an agent tells the queue manager what happened, recipient by recipient, as it happens. Both
 * calls append a record to the queue file and force it to disk before returning, which is what makes
 * local delivery exactly-once: the agent calls {@link #starting} before storing a message and
 * {@link #report} right after, so a crash leaves at most one recipient "in doubt", which the agent
 * checks on the next attempt ({@link DeliveryRequest.Rcpt#inDoubt()}).
 */
public interface DeliveryJournal {

    /** Records that delivery to this recipient is about to happen (the 'I' record). */
    void starting(int index) throws IOException;

    /** Records the outcome of one recipient; call once per recipient. */
    void report(RecipientResult result) throws IOException;
}
