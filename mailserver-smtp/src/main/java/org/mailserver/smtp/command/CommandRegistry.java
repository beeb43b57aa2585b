package org.mailserver.smtp.command;

import static org.mailserver.smtp.session.SessionState.*;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mailserver.smtp.session.SessionState;

/**
 * The command table of a protocol, as Postfix's {@code smtpd_cmd_table}: each entry says in which
 * session states the command is legal, the reply for a command out of sequence, and its {@link Flag}s
 * (allowed before STARTTLS, counts as junk, ends a pipelined group). The session's dispatcher enforces these flags, so commands
 * do not repeat them.
 */
public final class CommandRegistry {

    /** Per-command properties the dispatcher enforces (Postfix's SMTPD_CMD_FLAG_*). */
    public enum Flag {
        /** Allowed while TLS is required but not yet active (RFC 3207 section 4). */
        BEFORE_TLS,
        /** Counts toward smtpd_junk_command_limit (NOOP, RSET, VRFY, HELP): beyond it each one is an error. */
        JUNK,
        /** Must be the last command of a pipelined group (RFC 2920 3.1): input behind it is improper pipelining. */
        ENDS_GROUP
    }

    /**
     * @param states        where the command is legal (RFC 5321 4.1.4)
     * @param sequenceError the 503 text when used in another state
     */
    public record Spec(String name, SmtpCommand command, Set<SessionState> states, String sequenceError, Set<Flag> flags) {
        public boolean beforeTls() {
            return flags.contains(Flag.BEFORE_TLS);
        }
    }

    private static final Set<SessionState> IDLE_OR_TRANSACTION = EnumSet.of(CONNECTED, GREETED, MAIL, RCPT);
    private static final Set<SessionState> ANY_COMMAND_STATE = EnumSet.of(CONNECTED, GREETED, MAIL, RCPT, BDAT);

    private final Map<String, Spec> specs = new LinkedHashMap<>();

    public CommandRegistry add(String name, SmtpCommand command, Set<SessionState> states, String sequenceError, Flag... flags) {
        Set<Flag> f = EnumSet.noneOf(Flag.class);
        f.addAll(java.util.List.of(flags));
        specs.put(name, new Spec(name, command, states, sequenceError, f));
        return this;
    }

    public Spec find(String verb) {
        return specs.get(verb.toUpperCase(Locale.ROOT));
    }

    public Set<String> names() {
        return specs.keySet();
    }

    /** The commands shared by SMTP and LMTP. */
    private static CommandRegistry common() {
        CommandRegistry r = new CommandRegistry();
        r.add("MAIL", new MailCommand(), EnumSet.of(CONNECTED, GREETED), "Error: nested MAIL command");
        r.add("RCPT", new RcptCommand(), EnumSet.of(MAIL, RCPT), "Error: need MAIL command");
        r.add("DATA", new DataCommand(), EnumSet.of(RCPT), "Error: need RCPT command", Flag.ENDS_GROUP);
        // BDAT is legal everywhere at the table level, TLS included: its chunk must be read and dropped even
        // when the command is refused, or the chunk's bytes would be read as commands (RFC 3030 section 2).
        r.add("BDAT", new BdatCommand(), ANY_COMMAND_STATE, "Error: need RCPT command", Flag.BEFORE_TLS);
        r.add("RSET", new RsetCommand(), ANY_COMMAND_STATE, "", Flag.BEFORE_TLS, Flag.JUNK);
        r.add("NOOP", new NoopCommand(), ANY_COMMAND_STATE, "", Flag.BEFORE_TLS, Flag.JUNK, Flag.ENDS_GROUP);
        r.add("QUIT", new QuitCommand(), ANY_COMMAND_STATE, "", Flag.BEFORE_TLS);
        r.add("VRFY", new VrfyCommand(), IDLE_OR_TRANSACTION, "", Flag.JUNK, Flag.ENDS_GROUP);
        r.add("EXPN", new ExpnCommand(), IDLE_OR_TRANSACTION, "", Flag.JUNK, Flag.ENDS_GROUP);
        r.add("HELP", new HelpCommand(), ANY_COMMAND_STATE, "", Flag.BEFORE_TLS, Flag.JUNK, Flag.ENDS_GROUP);
        r.add("STARTTLS", new StartTlsCommand(), EnumSet.of(GREETED), "", Flag.BEFORE_TLS, Flag.ENDS_GROUP);
        return r;
    }

    /** ESMTP (RFC 5321) with its extensions. */
    public static CommandRegistry smtp() {
        CommandRegistry r = common();
        r.add("HELO", new HeloCommand(false), IDLE_OR_TRANSACTION, "", Flag.BEFORE_TLS, Flag.ENDS_GROUP);
        r.add("EHLO", new HeloCommand(true), IDLE_OR_TRANSACTION, "", Flag.BEFORE_TLS, Flag.ENDS_GROUP);
        r.add("AUTH", new AuthCommand(), EnumSet.of(GREETED), "Error: MAIL transaction in progress", Flag.ENDS_GROUP);
        return r;
    }

    /** LMTP (RFC 2033 4.1): LHLO replaces HELO and EHLO, which are refused; no AUTH. */
    public static CommandRegistry lmtp() {
        CommandRegistry r = common();
        r.add("LHLO", new HeloCommand(true), IDLE_OR_TRANSACTION, "", Flag.BEFORE_TLS, Flag.ENDS_GROUP);
        return r;
    }
}
