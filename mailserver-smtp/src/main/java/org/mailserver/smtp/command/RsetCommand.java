package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/** RSET (RFC 5321 4.1.1.5): the transaction is dropped whole; HELO state is kept. */
public final class RsetCommand implements SmtpCommand {
    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        if (!argument.isBlank()) {
            throw SmtpException.syntax("RSET");
        }
        s.resetTransaction();
        if (s.state != SessionState.CONNECTED) {
            s.state = SessionState.GREETED;
        }
        s.reply(SmtpReply.of(250, "2.0.0", "Ok"));
        return DONE;
    }
}
