package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/** EXPN (RFC 5321 4.1.1.7): never offered; it would list the members of aliases. */
public final class ExpnCommand implements SmtpCommand {
    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        throw new SmtpException(502, "5.5.1", "Error: command not implemented");
    }
}
