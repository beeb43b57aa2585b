package org.mailserver.storage;

import java.util.List;
import java.util.Set;

/**
 * One user's mailboxes. Names are IMAP names in UTF-8 with {@code /} as the hierarchy separator
 * ({@code INBOX}, {@code Archive/2024}); the implementation maps them to disk and refuses names that
 * would escape the user's store with {@link StorageError#BAD_PARAMS}.
 */
public interface MailStore extends AutoCloseable {

    char HIERARCHY_SEPARATOR = '/';

    String user();

    /** Every mailbox, INBOX first, with attributes and subscription state. */
    List<MailboxInfo> list() throws StorageException;

    void create(String name, Set<SpecialUse> specialUse) throws StorageException;

    /** Deletes the mailbox and its messages (INBOX cannot be deleted). */
    void delete(String name) throws StorageException;

    /** Renames, with its children; renaming INBOX moves its messages to a new mailbox (RFC 3501 6.3.5). */
    void rename(String from, String to) throws StorageException;

    void subscribe(String name) throws StorageException;

    void unsubscribe(String name) throws StorageException;

    /** Subscribed names, including names of mailboxes that no longer exist (RFC 3501 6.3.6). */
    Set<String> subscriptions() throws StorageException;

    /** Opens a view of a mailbox; {@link StorageError#NOT_FOUND} when it does not exist. */
    Mailbox open(String name) throws StorageException;

    /** Storage and message-count usage and limits of this user. */
    QuotaInfo quota() throws StorageException;

    @Override
    void close();
}
