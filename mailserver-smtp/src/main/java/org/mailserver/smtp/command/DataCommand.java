package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * DATA (RFC 5321 4.1.1.4): smtpd_data_restrictions, the queue file is opened, then 354; the content
 * arrives from the decoder already dot-unstuffed and ends at {@code <CRLF>.<CRLF>}. The final reply
 * (one per recipient in LMTP) is sent only after the sink committed the message.
 */
public final class DataCommand implements SmtpCommand {

    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        if (!argument.isBlank()) {
            throw SmtpException.syntax("DATA");
        }
        if (s.tx.recipients.isEmpty()) {
            throw MessageStart.noValidRecipients();
        }
        return MessageStart.open(s, "DATA").thenAccept(refusal -> {
            if (refusal != null) {
                s.reply(refusal);
                return;
            }
            s.state = SessionState.DATA;
            s.transport.expectData();
            s.reply(SmtpReply.plain(354, "End data with <CR><LF>.<CR><LF>"));
        });
    }

    /** A piece of DATA or BDAT content. */
    public static CompletionStage<Void> content(SmtpSession s, byte[] bytes) {
        if (s.tx.intake == null || s.bdatRefusal != null) {
            return DONE; // a refused BDAT chunk is read and dropped
        }
        return s.tx.intake.accept(bytes);
    }

    /** The end of DATA. */
    public static CompletionStage<Void> end(SmtpSession s) {
        if (s.state != SessionState.DATA) {
            return DONE;
        }
        return MessageStart.finish(s);
    }
}
