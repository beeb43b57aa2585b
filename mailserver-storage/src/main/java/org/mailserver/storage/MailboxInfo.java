package org.mailserver.storage;

import java.util.Set;

/**
 * A mailbox as LIST shows it.
 *
 * @param name        IMAP name (UTF-8, {@code /} separated)
 * @param specialUse  RFC 6154 attributes
 * @param subscribed  whether the name is in the subscriptions
 * @param hasChildren whether any mailbox exists below it
 * @param selectable  false for a \Noselect hierarchy placeholder
 */
public record MailboxInfo(String name, Set<SpecialUse> specialUse, boolean subscribed, boolean hasChildren, boolean selectable) {
}
