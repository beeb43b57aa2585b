package org.mailserver.lmtp;

import org.mailserver.core.auth.UserInfo;

/**
 * One accepted LMTP recipient: the userdb user, the address as given (Delivered-To:) and the mailbox
 * (null for INBOX; the +detail with lmtp_save_to_detail_mailbox).
 */
record DeliveryTarget(UserInfo user, String address, String mailbox) {
}
