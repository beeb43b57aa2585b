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
 * session states the command is legal, whether it is allowed before STARTTLS when TLS is required, and
 * the reply for a command out of sequence. The session's dispatcher enforces these flags, so commands
 * do not repeat them.
 */
public final class CommandRegistry {

    /**
     * @param states        where the command is legal (RFC 5321 4.1.4)
     * @param beforeTls     allowed while TLS is required but not active (RFC 3207 section 4)
     * @param sequenceError the 503 text when used in another state
     */
    public record Spec(String name, SmtpCommand command, Set<SessionState> states, boolean beforeTls, String sequenceError) {
    }

    private static final Set<SessionState> IDLE_OR_TRANSACTION = EnumSet.of(CONNECTED, GREETED, MAIL, RCPT);
    private static final Set<SessionState> ANY_COMMAND_STATE = EnumSet.of(CONNECTED, GREETED, MAIL, RCPT, BDAT);

    private final Map<String, Spec> specs = new LinkedHashMap<>();

    public CommandRegistry add(String name, SmtpCommand command, Set<SessionState> states, boolean beforeTls, String sequenceError) {
        specs.put(name, new Spec(name, command, states, beforeTls, sequenceError));
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
        r.add("MAIL", new MailCommand(), EnumSet.of(CONNECTED, GREETED), false, "Error: nested MAIL command");
        r.add("RCPT", new RcptCommand(), EnumSet.of(MAIL, RCPT), false, "Error: need MAIL command");
        r.add("DATA", new DataCommand(), EnumSet.of(RCPT), false, "Error: need RCPT command");
        // BDAT is legal everywhere at the table level: its chunk must be read and dropped even when the
        // command is refused, or the chunk's bytes would be read as commands (RFC 3030 section 2).
        r.add("BDAT", new BdatCommand(), ANY_COMMAND_STATE, true, "Error: need RCPT command");
        r.add("RSET", new RsetCommand(), ANY_COMMAND_STATE, true, "");
        r.add("NOOP", new NoopCommand(), ANY_COMMAND_STATE, true, "");
        r.add("QUIT", new QuitCommand(), ANY_COMMAND_STATE, true, "");
        r.add("VRFY", new VrfyCommand(), IDLE_OR_TRANSACTION, false, "");
        r.add("EXPN", new ExpnCommand(), IDLE_OR_TRANSACTION, false, "");
        r.add("HELP", new HelpCommand(), ANY_COMMAND_STATE, true, "");
        r.add("STARTTLS", new StartTlsCommand(), EnumSet.of(GREETED), true, "Error: send EHLO first");
        return r;
    }

    /** ESMTP (RFC 5321) with its extensions. */
    public static CommandRegistry smtp() {
        CommandRegistry r = common();
        r.add("HELO", new HeloCommand(false), IDLE_OR_TRANSACTION, true, "");
        r.add("EHLO", new HeloCommand(true), IDLE_OR_TRANSACTION, true, "");
        r.add("AUTH", new AuthCommand(), EnumSet.of(GREETED), false, "Error: MAIL transaction in progress");
        return r;
    }

    /** LMTP (RFC 2033 4.1): LHLO replaces HELO and EHLO, which are refused; no AUTH. */
    public static CommandRegistry lmtp() {
        CommandRegistry r = common();
        r.add("LHLO", new HeloCommand(true), IDLE_OR_TRANSACTION, true, "");
        return r;
    }
}
