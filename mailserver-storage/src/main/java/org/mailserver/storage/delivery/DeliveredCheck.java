package org.mailserver.storage.delivery;

import org.mailserver.core.auth.UserInfo;

/**
 * Answers, after a crash, whether a delivery that was started but never recorded actually reached the
 * mailbox. Asked only for recipients "in doubt", so it may be slow.
 */
@FunctionalInterface
public interface DeliveredCheck {

    boolean alreadyDelivered(UserInfo user, String queueId, byte[] content) throws Exception;

    /** Never finds anything: an in-doubt delivery is repeated (at least once). */
    DeliveredCheck NONE = (user, queueId, content) -> false;
}
