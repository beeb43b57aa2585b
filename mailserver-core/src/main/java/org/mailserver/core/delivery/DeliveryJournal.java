package org.mailserver.core.delivery;

import java.io.IOException;

/**
 * How an agent tells the queue manager what happened, recipient by recipient, as it happens.
 * {@link #report} appends the outcome to the queue file and forces it to disk before returning, so
 * the agent reports right after each delivery: after a crash, a recipient without its outcome recorded
 * is "in doubt" ({@link DeliveryRequest.Rcpt#inDoubt()}) and the local agent checks the mailbox before
 * storing again. That is what makes local delivery exactly-once.
 */
public interface DeliveryJournal {

    /** Announces that delivery to this recipient is about to happen (the queue may record it; today it need not). */
    void starting(int index) throws IOException;

    /** Records the outcome of one recipient; call once per recipient. */
    void report(RecipientResult result) throws IOException;
}
