package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SmtpSession;

/** NOOP (RFC 5321 4.1.1.9): any argument is ignored. */
public final class NoopCommand implements SmtpCommand {
    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) {
        s.reply(SmtpReply.of(250, "2.0.0", "Ok"));
        return DONE;
    }
}
