package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SmtpSession;

/** HELP (RFC 5321 4.1.1.8): points to the RFC; we have nothing more useful to say. */
public final class HelpCommand implements SmtpCommand {
    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) {
        s.reply(SmtpReply.of(214, "2.0.0", "See RFC 5321"));
        return DONE;
    }
}
