package org.mailserver.imap.session;

/**
 * Whether a client has opened a mailbox in this JVM since it started. Set by SELECT/EXAMINE; read by the
 * start-up mailbox warm-up in mailserver-dist, which stops as soon as a real client opens a folder so that it
 * never competes with one for the processor (it exists to make that client's work faster, not slower).
 * A single volatile flag: thread-safe, never reset.
 */
public final class ClientActivity {
    private static volatile boolean mailboxOpened;

    private ClientActivity() {
    }

    /** Called by SELECT and EXAMINE. */
    public static void mailboxOpened() {
        if (!mailboxOpened) {
            mailboxOpened = true;
        }
    }

    /** True once any client has selected or examined a mailbox. */
    public static boolean anyMailboxOpened() {
        return mailboxOpened;
    }
}
