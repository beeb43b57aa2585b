package org.mailserver.imap.command;

import static org.mailserver.imap.command.CommandSpec.ANY;
import static org.mailserver.imap.command.CommandSpec.AUTH;
import static org.mailserver.imap.command.CommandSpec.NOT_AUTH;
import static org.mailserver.imap.command.CommandSpec.SELECTED;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mailserver.imap.session.SessionState;

/**
 * Every IMAP command the server knows, with its rules (legal states, whether EXPUNGE may be reported at its
 * end). The dispatcher in {@link org.mailserver.imap.session.ImapSession} looks commands up here and enforces
 * the rules; commands do not repeat them. Immutable after construction, shared by all sessions.
 */
public final class CommandRegistry {
    private final Map<String, CommandSpec> commands = new HashMap<>();

    public static CommandRegistry standard() {
        CommandRegistry r = new CommandRegistry();
        // RFC 3501 6.1: any state
        r.add("CAPABILITY", ANY, true, true, new SimpleCommands.Capability());
        r.add("NOOP", ANY, true, true, new SimpleCommands.Noop("NOOP"));
        r.add("LOGOUT", ANY, true, true, new SimpleCommands.Logout());
        r.add("ID", ANY, true, true, new SimpleCommands.Id());
        // RFC 3501 6.2: not authenticated
        r.add("STARTTLS", NOT_AUTH, true, true, new SimpleCommands.StartTls());
        r.add("LOGIN", NOT_AUTH, false, true, new LoginCommand());
        r.add("AUTHENTICATE", NOT_AUTH, false, true, new AuthenticateCommand());
        // RFC 3501 6.3: authenticated (and selected)
        r.add("ENABLE", AUTH, false, true, new SimpleCommands.Enable());
        r.add("SELECT", AUTH, false, true, new SelectCommand(false));
        r.add("EXAMINE", AUTH, false, true, new SelectCommand(true));
        r.add("CREATE", AUTH, false, true, new MailboxCommands.Create());
        r.add("DELETE", AUTH, false, true, new MailboxCommands.Delete());
        r.add("RENAME", AUTH, false, true, new MailboxCommands.Rename());
        r.add("SUBSCRIBE", AUTH, false, true, new MailboxCommands.Subscribe(true));
        r.add("UNSUBSCRIBE", AUTH, false, true, new MailboxCommands.Subscribe(false));
        r.add("LIST", AUTH, false, true, new ListCommand(false));
        r.add("LSUB", AUTH, false, true, new ListCommand(true));
        r.add("NAMESPACE", AUTH, false, true, new SimpleCommands.Namespace());
        r.add("STATUS", AUTH, false, true, new StatusCommand());
        r.add("APPEND", AUTH, false, true, new AppendCommand());
        r.add("IDLE", AUTH, false, true, new IdleCommand());
        r.add("GETQUOTAROOT", AUTH, false, true, new QuotaCommand(true));
        r.add("GETQUOTA", AUTH, false, true, new QuotaCommand(false));
        r.add("COMPRESS", AUTH, false, true, new SimpleCommands.Compress());
        // RFC 3501 6.4: selected
        r.add("CHECK", SELECTED, false, true, new SimpleCommands.Noop("CHECK"));
        r.add("CLOSE", SELECTED, false, true, new SimpleCommands.Close());
        r.add("UNSELECT", SELECTED, false, true, new SimpleCommands.Unselect());
        r.add("EXPUNGE", SELECTED, false, true, new ExpungeCommand(false));
        r.add("UID EXPUNGE", SELECTED, false, true, new ExpungeCommand(true));
        // RFC 3501 7.4.1: no EXPUNGE while answering FETCH, STORE, SEARCH by sequence number
        r.add("FETCH", SELECTED, false, false, new FetchCommand(false));
        r.add("UID FETCH", SELECTED, false, true, new FetchCommand(true));
        r.add("STORE", SELECTED, false, false, new StoreCommand(false));
        r.add("UID STORE", SELECTED, false, true, new StoreCommand(true));
        r.add("SEARCH", SELECTED, false, false, new SearchCommand(false, SearchCommand.Mode.SEARCH));
        r.add("UID SEARCH", SELECTED, false, true, new SearchCommand(true, SearchCommand.Mode.SEARCH));
        r.add("SORT", SELECTED, false, false, new SearchCommand(false, SearchCommand.Mode.SORT));
        r.add("UID SORT", SELECTED, false, true, new SearchCommand(true, SearchCommand.Mode.SORT));
        r.add("THREAD", SELECTED, false, false, new SearchCommand(false, SearchCommand.Mode.THREAD));
        r.add("UID THREAD", SELECTED, false, true, new SearchCommand(true, SearchCommand.Mode.THREAD));
        r.add("COPY", SELECTED, false, true, new CopyMoveCommand(false, false));
        r.add("UID COPY", SELECTED, false, true, new CopyMoveCommand(true, false));
        r.add("MOVE", SELECTED, false, true, new CopyMoveCommand(false, true));
        r.add("UID MOVE", SELECTED, false, true, new CopyMoveCommand(true, true));
        return r;
    }

    private void add(String name, Set<SessionState> states, boolean beforeTls, boolean mayExpunge, ImapCommand command) {
        commands.put(name, new CommandSpec(name, states, beforeTls, mayExpunge, command));
    }

    public CommandSpec find(String name) {
        return commands.get(name);
    }
}
