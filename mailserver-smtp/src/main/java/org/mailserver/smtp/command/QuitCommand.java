package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SmtpSession;

/** QUIT (RFC 5321 4.1.1.10): 221, then the server closes; an unfinished transaction is dropped. */
public final class QuitCommand implements SmtpCommand {
    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) {
        s.close(SmtpReply.of(221, "2.0.0", "Bye"));
        return DONE;
    }
}
