package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SessionConfig;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * STARTTLS (RFC 3207). The transport drops any input pipelined behind the command before the handshake
 * (RFC 3207 section 4.2 forbids acting on it; CVE-2011-0411), and after the handshake the session
 * forgets everything learnt before (state back to CONNECTED, the client must EHLO again).
 */
public final class StartTlsCommand implements SmtpCommand {
    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        if (!argument.isBlank()) {
            throw SmtpException.syntax("STARTTLS"); // RFC 3207 section 4: no parameters
        }
        if (s.tls != null) {
            throw new SmtpException(554, "5.5.1", "Error: TLS already active");
        }
        if (s.config.tlsLevel() == SessionConfig.TlsLevel.NONE) {
            throw new SmtpException(502, "5.5.1", "Error: command not implemented");
        }
        if (!s.services.tlsAvailable()) {
            throw new SmtpException(454, "4.7.0", "TLS not available due to local problem");
        }
        s.state = SessionState.TLS_HANDSHAKE;
        s.startTls(SmtpReply.of(220, "2.0.0", "Ready to start TLS"));
        return DONE;
    }
}
