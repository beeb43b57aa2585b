package org.mailserver.smtp.command;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.address.MailAddress;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.policy.Verdict;
import org.mailserver.smtp.session.RestrictionRunner;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;
import org.mailserver.smtp.session.Transaction;

/**
 * MAIL FROM (RFC 5321 4.1.1.2) with SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531), RET and ENVID
 * (RFC 3461) and AUTH= (RFC 4954 5, accepted and ignored). The sender is rewritten by canonical_maps;
 * with smtpd_delay_reject=no the client, helo and sender restrictions are applied here.
 */
public final class MailCommand implements SmtpCommand {

    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        if (s.state == SessionState.CONNECTED && s.config.heloRequired()) {
            // RFC 5321 4.1.4: a session with mail transactions MUST start with EHLO/HELO.
            throw new SmtpException(503, "5.5.1", "Error: send " + (s.lmtp() ? "LHLO" : "HELO/EHLO") + " first");
        }
        Paths.Parsed p = Paths.parse(argument, "FROM:");
        Transaction tx = new Transaction();
        applyParameters(s, tx, p.params());
        MailAddress sender = null;
        if (!p.path().isEmpty()) {
            try {
                sender = MailAddress.parse(p.path());
            } catch (IllegalArgumentException e) {
                throw new SmtpException(501, "5.1.7", "<" + p.path() + ">: Bad sender address syntax");
            }
            if (!sender.isAscii() && !tx.smtpUtf8) {
                // RFC 6531 3.4: a non-ASCII address needs the SMTPUTF8 parameter.
                throw new SmtpException(553, "5.6.7", "<" + p.path() + ">: Must declare SMTPUTF8 to send UTF8 addresses");
            }
        }
        if (tx.declaredSize > 0 && s.config.messageSizeLimit() > 0 && tx.declaredSize > s.config.messageSizeLimit()) {
            // RFC 1870 section 6.1: a declared size over the fixed limit is refused at MAIL.
            throw new SmtpException(552, "5.3.4", "Message size exceeds fixed limit");
        }
        tx.originalSender = p.path();
        MailAddress parsed = sender;
        String state = "MAIL";
        Transaction previous = s.tx;
        s.tx = tx; // the snapshot for the restrictions must see the new sender
        var request = RestrictionRunner.snapshot(s, state, null);
        s.tx = previous;
        var lists = RestrictionRunner.listsFor(s, state);
        java.util.concurrent.Callable<Verdict> work = () -> {
            Verdict v = RestrictionRunner.evaluate(s, request, lists, r -> Verdict.DUNNO);
            tx.sender = parsed == null ? "" : s.services.rewriter().rewriteSender(parsed).toString();
            return v;
        };
        // No list to evaluate (smtpd_delay_reject=yes defers them to RCPT) and no canonical_maps: nothing
        // here can block, so the reply goes out without a round trip through the blocking executor.
        boolean pure = RestrictionRunner.noneConfigured(s, lists) && !s.services.rewriter().rewritesSenders();
        return (pure ? here(work) : s.offLoop(work)).thenAccept(v -> {
            if (v.refuses()) {
                s.reply(v.reply());
                return;
            }
            s.resetTransaction();
            s.tx = tx;
            s.state = SessionState.MAIL;
            s.reply(SmtpReply.of(250, "2.1.0", "Ok"));
        });
    }

    private static <T> java.util.concurrent.CompletableFuture<T> here(java.util.concurrent.Callable<T> work) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(work.call());
        } catch (Exception e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private static void applyParameters(SmtpSession s, Transaction tx, Map<String, String> params) throws SmtpException {
        for (Map.Entry<String, String> e : params.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case "SIZE":
                    need(s, "SIZE", key);
                    try {
                        tx.declaredSize = Long.parseLong(value);
                    } catch (NumberFormatException | NullPointerException ex) {
                        throw new SmtpException(501, "5.5.4", "Bad message size syntax");
                    }
                    break;
                case "BODY":
                    String body = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (body.equals("7BIT") || (body.equals("8BITMIME") && s.config.offers("8BITMIME"))) {
                        tx.body = body;
                    } else {
                        throw new SmtpException(501, "5.5.4", "Unsupported BODY parameter");
                    }
                    break;
                case "SMTPUTF8":
                    need(s, "SMTPUTF8", key);
                    if (value != null) {
                        throw new SmtpException(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    tx.smtpUtf8 = true;
                    break;
                case "RET":
                    need(s, "DSN", key);
                    String ret = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!ret.equals("FULL") && !ret.equals("HDRS") || tx.ret != null) {
                        throw new SmtpException(501, "5.5.4", "Bad RET parameter syntax");
                    }
                    tx.ret = ret;
                    break;
                case "ENVID":
                    need(s, "DSN", key);
                    if (value == null || value.length() > 100) {
                        throw new SmtpException(501, "5.5.4", "Bad ENVID parameter syntax");
                    }
                    tx.envId = Paths.xtext(value);
                    break;
                case "AUTH":
                    break; // RFC 4954 section 5: we do not relay the AUTH identity; accepted and ignored.
                default:
                    throw new SmtpException(555, "5.5.4", "Unsupported option: " + key);
            }
        }
    }

    private static void need(SmtpSession s, String extension, String key) throws SmtpException {
        if (!s.config.offers(extension)) {
            throw new SmtpException(555, "5.5.4", "Unsupported option: " + key);
        }
    }
}
