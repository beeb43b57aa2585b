package org.mailserver.imap.session;

/** The connection states of RFC 3501 3 (the diagram in 3.4). Legality of each command is data in the registry. */
public enum SessionState {
    /** Before LOGIN/AUTHENTICATE. */
    NOT_AUTHENTICATED,
    /** Logged in, no mailbox selected. */
    AUTHENTICATED,
    /** A mailbox is selected (SELECT or EXAMINE). */
    SELECTED,
    /** LOGOUT or BYE: nothing more is read. */
    LOGOUT
}
