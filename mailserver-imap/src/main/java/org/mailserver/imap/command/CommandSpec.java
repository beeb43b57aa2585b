package org.mailserver.imap.command;

import java.util.EnumSet;
import java.util.Set;
import org.mailserver.imap.session.SessionState;

/**
 * A registry entry: the command and the rules the dispatcher enforces for it, as data.
 *
 * @param name          upper-case name as the client sends it ({@code UID FETCH} for UID variants)
 * @param states        states in which the command is legal (RFC 3501 6)
 * @param beforeTls     allowed on a plaintext connection before STARTTLS when TLS is required for it
 * @param mayExpunge    untagged EXPUNGE may be sent at its end; false for FETCH, STORE, SEARCH by sequence
 *                      number (RFC 3501 7.4.1) and for the commands that do not report mailbox changes
 * @param command       the implementation
 */
public record CommandSpec(String name, Set<SessionState> states, boolean beforeTls, boolean mayExpunge, ImapCommand command) {

    public static final Set<SessionState> ANY = EnumSet.of(SessionState.NOT_AUTHENTICATED, SessionState.AUTHENTICATED, SessionState.SELECTED);
    public static final Set<SessionState> NOT_AUTH = EnumSet.of(SessionState.NOT_AUTHENTICATED);
    public static final Set<SessionState> AUTH = EnumSet.of(SessionState.AUTHENTICATED, SessionState.SELECTED);
    public static final Set<SessionState> SELECTED = EnumSet.of(SessionState.SELECTED);
}
