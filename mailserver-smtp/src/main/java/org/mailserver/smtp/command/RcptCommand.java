package org.mailserver.smtp.command;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.address.MailAddress;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * RCPT TO (RFC 5321 4.1.1.3) with NOTIFY and ORCPT (RFC 3461 4.1, 4.2). Syntax and limits are checked
 * here; whether the recipient is accepted (restrictions and rewriting for SMTP, mailbox and quota for
 * LMTP) is the dialect's decision.
 */
public final class RcptCommand implements SmtpCommand {

    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        Paths.Parsed p = Paths.parse(argument, "TO:");
        s.tx.rcptCommands++;
        String path = p.path();
        if (path.equalsIgnoreCase("postmaster")) {
            // RFC 5321 4.5.1: <postmaster> without a domain MUST be accepted; it means ours.
            path = "postmaster@" + s.config.hostname();
        }
        MailAddress address;
        try {
            address = MailAddress.parse(path);
        } catch (IllegalArgumentException e) {
            throw new SmtpException(501, "5.1.3", "<" + p.path() + ">: Bad recipient address syntax");
        }
        if (address.domain().isEmpty()) {
            throw new SmtpException(501, "5.1.3", "<" + p.path() + ">: Bad recipient address syntax");
        }
        if (!address.isAscii() && !s.tx.smtpUtf8) {
            throw new SmtpException(553, "5.6.7", "<" + p.path() + ">: Must declare SMTPUTF8 to send UTF8 addresses");
        }
        if (s.tx.recipients.size() >= s.config.recipientLimit()) {
            // RFC 5321 4.5.3.1.10: 452 for too many recipients; the client sends the rest later.
            throw new SmtpException(452, "4.5.3", "Error: too many recipients");
        }
        String notify = null;
        String orcpt = null;
        for (Map.Entry<String, String> e : p.params().entrySet()) {
            switch (e.getKey()) {
                case "NOTIFY":
                    dsn(s, e.getKey());
                    notify = notify(e.getValue());
                    break;
                case "ORCPT":
                    dsn(s, e.getKey());
                    orcpt = orcpt(e.getValue());
                    break;
                default:
                    throw new SmtpException(555, "5.5.4", "Unsupported option: " + e.getKey());
            }
        }
        if (orcpt == null) {
            orcpt = "rfc822;" + p.path(); // kept so that DSNs name the address the client used
        }
        String logged = p.path();
        return s.dialect.acceptRecipient(s, address, orcpt, notify).thenAccept(outcome -> {
            if (s.state != SessionState.MAIL && s.state != SessionState.RCPT) {
                return; // the session moved on (closed) while we were away
            }
            if (outcome.reply().positive()) {
                s.tx.recipients.addAll(outcome.recipients());
                if (outcome.deliveryTarget() != null) {
                    s.tx.deliveryTargets.add(outcome.deliveryTarget());
                }
                s.tx.acceptedRcptCommands++;
                s.state = SessionState.RCPT;
            } else {
                s.log().info("NOQUEUE: reject: RCPT from {}: {}; from=<{}> to=<{}> proto={} helo=<{}>",
                    s.client(), outcome.reply().summary(), s.tx.originalSender, logged, s.esmtp ? "ESMTP" : "SMTP", s.helo);
            }
            s.reply(outcome.reply());
        });
    }

    private static void dsn(SmtpSession s, String key) throws SmtpException {
        if (!s.config.offers("DSN")) {
            throw new SmtpException(555, "5.5.4", "Unsupported option: " + key);
        }
    }

    /** RFC 3461 4.1: NEVER alone, or a comma list of SUCCESS, FAILURE, DELAY. */
    private static String notify(String value) throws SmtpException {
        if (value == null || value.isEmpty()) {
            throw new SmtpException(501, "5.5.4", "Bad NOTIFY parameter syntax");
        }
        String v = value.toUpperCase(Locale.ROOT);
        String[] parts = v.split(",");
        for (String part : parts) {
            if (!part.equals("SUCCESS") && !part.equals("FAILURE") && !part.equals("DELAY") && !part.equals("NEVER")) {
                throw new SmtpException(501, "5.5.4", "Bad NOTIFY parameter syntax");
            }
            if (part.equals("NEVER") && parts.length > 1) {
                throw new SmtpException(501, "5.5.4", "Bad NOTIFY parameter syntax");
            }
        }
        return v;
    }

    /** RFC 3461 4.2: addr-type ";" xtext; kept decoded as {@code type;address}. */
    private static String orcpt(String value) throws SmtpException {
        int semi = value == null ? -1 : value.indexOf(';');
        if (semi <= 0 || value.length() > 500) {
            throw new SmtpException(501, "5.5.4", "Bad ORCPT parameter syntax");
        }
        return value.substring(0, semi).toLowerCase(Locale.ROOT) + ";" + Paths.xtext(value.substring(semi + 1));
    }
}
