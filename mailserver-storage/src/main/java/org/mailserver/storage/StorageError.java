package org.mailserver.storage;

/** Why a storage operation failed: a closed vocabulary that the protocols map to their replies. */
public enum StorageError {
    /** Try again later (I/O error, lock timeout). */
    TEMPORARY,
    /** The operation cannot be done on this object (delete INBOX, ...). */
    NOT_POSSIBLE,
    /** Invalid arguments (bad mailbox name, ...). */
    BAD_PARAMS,
    /** No permission. */
    PERMISSION,
    /** The user's quota would be exceeded. */
    OVER_QUOTA,
    /** No such mailbox or message. */
    NOT_FOUND,
    /** The mailbox already exists. */
    EXISTS,
    /** The message was expunged meanwhile. */
    EXPUNGED,
    /** Locked by another operation. */
    IN_USE
}
