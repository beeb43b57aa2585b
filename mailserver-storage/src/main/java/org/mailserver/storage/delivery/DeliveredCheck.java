package org.mailserver.storage.delivery;

import org.mailserver.core.auth.UserInfo;

/**
 * Answers, after a crash, whether a delivery that was started but never recorded actually reached the
 * mailbox. Asked only for recipients "in doubt", so it may be slow.
 */
@FunctionalInterface
public interface DeliveredCheck {

    boolean alreadyDelivered(UserInfo user, String queueId, byte[] content) throws Exception;

    /**
     * The same, knowing when the message arrived in the queue (null if unknown): a stored copy can only
     * be among the messages stored since, however many there are.
     */
    default boolean alreadyDelivered(UserInfo user, String queueId, byte[] content, java.time.Instant arrival)
            throws Exception {
        return alreadyDelivered(user, queueId, content);
    }

    /** Never finds anything: an in-doubt delivery is repeated (at least once). */
    DeliveredCheck NONE = (user, queueId, content) -> false;
}
