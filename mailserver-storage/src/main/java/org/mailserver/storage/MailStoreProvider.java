package org.mailserver.storage;

import org.mailserver.core.auth.UserInfo;

/**
 * Opens users' mail stores. Registered in the daemon's services; IMAP, LMTP and local delivery
 * go through it, and nothing else touches mail files. Maildir is one implementation, an in-memory
 * store (for fast protocol tests) another.
 */
public interface MailStoreProvider {

    /** Opens (creating on first use, with the default special-use folders) the store of this user. */
    MailStore open(UserInfo user) throws StorageException;
}
