package org.mailserver.imap.session;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.mailserver.imap.codec.ImapRequest;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.command.CommandRegistry;
import org.mailserver.imap.command.CommandSpec;

/**
 * The dispatcher's gate: reads the tag and command name (with the UID prefix), looks the command up and
 * enforces its registry flags: legal states (RFC 3501 6) and, before TLS, no credentials in the clear when the
 * auth service allows no mechanism (RFC 3501 6.2.3, RFC 5530 PRIVACYREQUIRED). Either a command ready to run
 * or the complete refusal line.
 */
record CommandCheck(String tag, CommandSpec spec, RequestReader args, String refusal) {

    static CommandCheck of(ImapRequest request, CommandRegistry registry, SessionState state, boolean secured,
                           BooleanSupplier noMechanisms) {
        RequestReader args = new RequestReader(request);
        String tag;
        try {
            tag = args.tag();
        } catch (SyntaxException e) {
            return refuse(null, "* BAD Error in IMAP command received by server.");
        }
        String name;
        try {
            args.sp();
            name = args.atom().toUpperCase(Locale.ROOT);
            if (name.equals("UID")) {
                args.sp();
                name = "UID " + args.atom().toUpperCase(Locale.ROOT);
            }
        } catch (SyntaxException e) {
            return refuse(tag, tag + " BAD Error in IMAP command: missing command name.");
        }
        CommandSpec spec = registry.find(name);
        if (spec == null) {
            return refuse(tag, tag + " BAD Error in IMAP command " + name + ": Unknown command.");
        }
        if (!spec.states().contains(state)) {
            String why;
            if (state == SessionState.NOT_AUTHENTICATED) {
                why = "Not logged in.";
            } else if (spec.states().contains(SessionState.NOT_AUTHENTICATED)) {
                why = "Already logged in.";
            } else {
                why = "No mailbox selected.";
            }
            return refuse(tag, tag + " BAD Error in IMAP command " + name + ": " + why);
        }
        if (!spec.beforeTls() && state == SessionState.NOT_AUTHENTICATED && !secured && noMechanisms.getAsBoolean()) {
            return refuse(tag, tag + " NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
        }
        return new CommandCheck(tag, spec, args, null);
    }

    private static CommandCheck refuse(String tag, String line) {
        return new CommandCheck(tag, null, null, line);
    }
}
