package org.mailserver.smtp.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * BDAT (RFC 3030 CHUNKING): {@code BDAT size [LAST]}. The chunk is always read, even when the command is
 * refused (out of sequence, TLS required, an earlier chunk failed), so its octets are never taken for
 * commands (RFC 3030 section 2). A limit exceeded in a chunk is answered at that chunk; the message is
 * committed and answered at the LAST chunk.
 */
public final class BdatCommand implements SmtpCommand {
    /** Largest chunk size we parse; larger cannot be a real message within message_size_limit anyway. */
    private static final int MAX_DIGITS = 18;

    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        String[] parts = argument.trim().split(" +");
        boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (parts.length == 0 || parts.length > 2 || (parts.length == 2 && !last)
            || parts[0].isEmpty() || parts[0].length() > MAX_DIGITS || !parts[0].chars().allMatch(Character::isDigit)) {
            // Without a size we cannot find the end of the chunk: the rest of the input is meaningless.
            s.close(SmtpReply.of(501, "5.5.4", "Syntax: BDAT size [LAST]"));
            return DONE;
        }
        long size = Long.parseLong(parts[0]);
        s.bdatChunkSize = size;
        s.bdatLast = last;
        SmtpReply refusal = null;
        if (!s.config.offers("CHUNKING")) {
            refusal = SmtpReply.of(502, "5.5.1", "Error: command not implemented");
        } else if (s.tlsRequired() && s.tls == null) {
            refusal = SmtpReply.of(530, "5.7.0", "Must issue a STARTTLS command first");
        } else if (s.state != SessionState.RCPT && s.state != SessionState.BDAT) {
            refusal = SmtpReply.of(503, "5.5.1", s.state == SessionState.MAIL ? "Error: need RCPT command"
                : s.state == SessionState.CONNECTED ? "Error: send HELO/EHLO first" : "Error: need MAIL command");
        } else if (s.tx.bdatFailure != null) {
            refusal = s.tx.bdatFailure.reply();
        }
        if (refusal != null) {
            s.bdatRefusal = refusal;
            s.inBdatChunk = true;
            s.transport.expectBdat(size);
            return DONE;
        }
        if (s.state == SessionState.BDAT) {
            s.inBdatChunk = true;
            s.transport.expectBdat(size);
            return DONE;
        }
        return MessageStart.open(s, "BDAT").thenAccept(failure -> {
            s.state = SessionState.BDAT;
            if (failure != null) {
                s.tx.bdatFailure = new org.mailserver.smtp.session.Transaction.SmtpExceptionHolder(failure);
                s.bdatRefusal = failure;
            }
            s.inBdatChunk = true;
            s.transport.expectBdat(size);
        });
    }

    /** The current chunk has been read. */
    public static CompletionStage<Void> chunkEnd(SmtpSession s) {
        s.inBdatChunk = false;
        if (s.bdatRefusal != null) {
            SmtpReply r = s.bdatRefusal;
            s.bdatRefusal = null;
            if (s.bdatLast && s.state == SessionState.BDAT) {
                s.resetTransaction();
                s.state = SessionState.GREETED;
            }
            s.reply(r);
            return DONE;
        }
        SmtpReply failure = s.tx.intake == null ? null : s.tx.intake.failure();
        if (failure != null && !s.bdatLast) {
            s.tx.bdatFailure = new org.mailserver.smtp.session.Transaction.SmtpExceptionHolder(failure);
            s.tx.intake.abort();
            s.tx.intake = null;
            s.reply(failure);
            return DONE;
        }
        if (s.bdatLast) {
            return MessageStart.finish(s);
        }
        s.reply(SmtpReply.of(250, "2.0.0", "Ok: " + s.bdatChunkSize + " bytes"));
        return DONE;
    }
}
