package org.mailserver.storage.maildir;

import java.nio.file.Path;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.MailboxNames;

/**
 * Maildir++ layout, as Dovecot's default {@code LAYOUT=maildir++}: INBOX is the Maildir root; every
 * other mailbox is a directory {@code .Name} at the root, hierarchy levels joined with {@code .}
 * ({@code Archive/2024} is {@code .Archive.2024}), each level in modified UTF-7
 * ({@code Entwürfe} is {@code .Entw&APw-rfe}). Names are validated by {@link MailboxNames} first
 * ({@code .} is refused in IMAP names since it is the separator here), and the encoded form cannot
 * contain {@code /}, so the directory is always a direct child of the root.
 */
final class MaildirLayout {
    private MaildirLayout() {
    }

    /** The directory of a validated IMAP name. */
    static Path dirOf(Path root, String name) {
        if (MailboxNames.isInbox(name)) {
            return root;
        }
        return root.resolve(entryOf(name));
    }

    /** The root entry name: {@code .} + encoded levels joined by {@code .}. */
    static String entryOf(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split(String.valueOf(MailStore.HIERARCHY_SEPARATOR), -1)) {
            sb.append('.').append(ModifiedUtf7.encode(part));
        }
        return sb.toString();
    }

    /** The IMAP name of a root entry, or null if it is not a valid folder entry. */
    static String nameOf(String entry) {
        if (entry.length() < 2 || entry.charAt(0) != '.' || entry.charAt(1) == '.') {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        try {
            for (String part : entry.substring(1).split("\\.", -1)) {
                if (sb.length() > 0) {
                    sb.append(MailStore.HIERARCHY_SEPARATOR);
                }
                sb.append(ModifiedUtf7.decode(part));
            }
            return MailboxNames.validate(sb.toString());
        } catch (IllegalArgumentException | StorageException e) {
            return null;
        }
    }
}
