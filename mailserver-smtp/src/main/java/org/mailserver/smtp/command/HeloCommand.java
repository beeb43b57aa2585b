package org.mailserver.smtp.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.RestrictionRunner;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * HELO, EHLO (RFC 5321 4.1.1.1) and LHLO (RFC 2033 4.1). Like RSET it ends any transaction (RFC 5321
 * 4.1.4). EHLO/LHLO list the extensions this connection may use: STARTTLS only before TLS, AUTH only
 * where smtpd_sasl_auth_enable and smtpd_tls_auth_only allow.
 */
public final class HeloCommand implements SmtpCommand {
    private final boolean extended;

    public HeloCommand(boolean extended) {
        this.extended = extended;
    }

    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        String name = argument.trim();
        String verb = s.lmtp() ? "LHLO" : extended ? "EHLO" : "HELO";
        if (name.isEmpty() || name.contains(" ")) {
            throw SmtpException.syntax(verb + " hostname");
        }
        s.resetTransaction();
        s.helo = name;
        s.esmtp = extended;
        s.state = SessionState.GREETED;
        return RestrictionRunner.check(s, extended ? "EHLO" : "HELO").thenAccept(v -> {
            if (v.refuses()) {
                s.helo = null;
                s.state = SessionState.CONNECTED;
                s.reply(v.reply());
                return;
            }
            s.reply(extended ? new SmtpReply(250, null, lines(s)) : SmtpReply.plain(250, s.config.hostname()));
        });
    }

    private static List<String> lines(SmtpSession s) {
        List<String> out = new ArrayList<>();
        out.add(s.config.hostname());
        add(s, out, "PIPELINING");
        if (s.config.offers("SIZE")) {
            out.add(s.config.messageSizeLimit() > 0 ? "SIZE " + s.config.messageSizeLimit() : "SIZE");
        }
        if (!s.config.disableVrfy() && !s.lmtp()) {
            add(s, out, "VRFY");
        }
        if (s.tls == null && s.services.tlsAvailable() && s.config.tlsLevel() != org.mailserver.smtp.session.SessionConfig.TlsLevel.NONE) {
            add(s, out, "STARTTLS");
        }
        if (AuthCommand.offered(s)) {
            List<String> mechs = s.services.auth().mechanisms(s.authContext());
            if (!mechs.isEmpty() && s.config.offers("AUTH")) {
                out.add("AUTH " + String.join(" ", mechs));
            }
        }
        add(s, out, "ENHANCEDSTATUSCODES");
        add(s, out, "8BITMIME");
        add(s, out, "DSN");
        add(s, out, "SMTPUTF8");
        add(s, out, "CHUNKING");
        return out;
    }

    private static void add(SmtpSession s, List<String> out, String keyword) {
        if (s.config.offers(keyword)) {
            out.add(keyword);
        }
    }
}
