package org.mailserver.storage.support;

import org.mailserver.storage.MailStore;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * Validation of IMAP mailbox names (UTF-8, {@code /} separated) before any backend maps them to
 * storage. Refuses, with {@link StorageError#BAD_PARAMS}, anything that could escape the user's
 * store or confuse the on-disk layout, whatever encoding the client used: the name checked here is
 * already decoded (the IMAP layer decodes modified UTF-7, RFC 3501 5.1.3), and the Maildir layout
 * re-encodes it to modified UTF-7 so no decoded character can become a path separator on disk.
 * <ul>
 *   <li>empty names, empty components ({@code a//b}), a leading or trailing {@code /};</li>
 *   <li>components {@code .} and {@code ..}, components starting with {@code ~}, and any {@code .}
 *       at all, since {@code .} is the Maildir++ hierarchy separator on disk (Dovecot refuses it
 *       the same way with a {@code /} separator);</li>
 *   <li>control characters (C0, DEL, C1), unpaired surrogates, the LIST wildcards {@code %} and
 *       {@code *} (RFC 3501 5.1.1 says they should not be in names);</li>
 *   <li>names over {@link #MAX_LENGTH} characters or components over {@link #MAX_COMPONENT_LENGTH}.</li>
 * </ul>
 */
public final class MailboxNames {
    public static final String INBOX = "INBOX";
    public static final int MAX_LENGTH = 255;
    public static final int MAX_COMPONENT_LENGTH = 100;

    private MailboxNames() {
    }

    /** Validates and canonicalises ({@code inbox} becomes {@code INBOX}, also as a first component). */
    public static String validate(String name) throws StorageException {
        if (name == null || name.isEmpty()) {
            throw bad("Mailbox name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw bad("Mailbox name is too long");
        }
        String sep = String.valueOf(MailStore.HIERARCHY_SEPARATOR);
        if (name.startsWith(sep) || name.endsWith(sep)) {
            throw bad("Mailbox name must not start or end with " + sep);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw bad("Control characters are not allowed in mailbox names");
            }
            if (c == '%' || c == '*') {
                throw bad("Character not allowed in mailbox name: " + c);
            }
            if (c == '.') {
                throw bad("Character not allowed in mailbox name: '.'");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
                    throw bad("Mailbox name is not valid UTF-16");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw bad("Mailbox name is not valid UTF-16");
            }
        }
        String[] parts = name.split(sep, -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw bad("Mailbox name has an empty hierarchy level");
            }
            if (part.startsWith("~")) {
                throw bad("Mailbox name components must not start with ~");
            }
            if (part.length() > MAX_COMPONENT_LENGTH) {
                throw bad("Mailbox name component is too long");
            }
        }
        if (parts[0].equalsIgnoreCase(INBOX)) {
            return name.length() == INBOX.length() ? INBOX : INBOX + name.substring(INBOX.length());
        }
        return name;
    }

    public static boolean isInbox(String canonical) {
        return INBOX.equals(canonical);
    }

    /** The parent name, or null at the top level. */
    public static String parent(String name) {
        int i = name.lastIndexOf(MailStore.HIERARCHY_SEPARATOR);
        return i < 0 ? null : name.substring(0, i);
    }

    /** Whether {@code name} is {@code ancestor} or below it. */
    public static boolean isSelfOrChild(String name, String ancestor) {
        return name.equals(ancestor) || name.startsWith(ancestor + MailStore.HIERARCHY_SEPARATOR);
    }

    private static StorageException bad(String message) {
        return new StorageException(StorageError.BAD_PARAMS, message);
    }
}
