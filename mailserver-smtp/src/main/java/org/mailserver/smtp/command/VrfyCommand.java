package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * VRFY (RFC 5321 4.1.1.6). Off by default (disable_vrfy_command=yes: 502 5.5.1), as it helps address
 * harvesting. When enabled it answers 252 (RFC 5321 3.5.3: cannot verify, will accept and try), never
 * revealing whether a user exists.
 */
public final class VrfyCommand implements SmtpCommand {
    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        if (s.config.disableVrfy() || s.lmtp()) {
            throw new SmtpException(502, "5.5.1", "VRFY command is disabled");
        }
        if (argument.isBlank()) {
            throw SmtpException.syntax("VRFY address");
        }
        s.reply(SmtpReply.of(252, "2.0.0", argument.trim()));
        return DONE;
    }
}
