package org.mailserver.storage;

import java.io.InputStream;
import org.mailserver.core.auth.UserInfo;

/**
 * Final delivery of one message to one local user: prepends {@code Return-Path:} and
 * {@code Delivered-To:}, checks the quota, stores into the mailbox (INBOX unless told otherwise) and
 * returns only once the message is durable (file and directory fsynced). Used by LMTP and by the
 * queue's local delivery agent; registered in the daemon's services by the storage module.
 */
public interface LocalDelivery {

    /**
     * @param user        the userdb record of the recipient
     * @param mailbox     target mailbox (IMAP name), {@code null} for INBOX; a missing one falls back to INBOX
     * @param returnPath  envelope sender without brackets ({@code ""} for the null sender)
     * @param deliveredTo the recipient address as given in the envelope (after alias expansion)
     * @param message     the message in CRLF form, without Return-Path
     */
    Result deliver(UserInfo user, String mailbox, String returnPath, String deliveredTo, InputStream message);

    /** The outcome, with an SMTP reply code and an RFC 3463 enhanced status code. */
    record Result(Status status, int smtpCode, String enhancedCode, String text) {
        public enum Status { DELIVERED, TEMPORARY_FAILURE, PERMANENT_FAILURE }

        public static Result delivered() {
            return new Result(Status.DELIVERED, 250, "2.0.0", "Saved");
        }

        public boolean ok() {
            return status == Status.DELIVERED;
        }
    }
}
