package org.mailserver.smtp.session;

import java.util.ArrayList;
import java.util.List;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.intake.MessageIntake;

/**
 * One mail transaction: MAIL, its parameters, the accepted recipients and the message being received.
 * RSET, HELO/EHLO and the end of DATA replace it whole with {@link #EMPTY}-like fresh instances
 * (RFC 5321 4.1.1.5), so nothing of a previous message can leak into the next.
 */
public final class Transaction {

    /** The reverse path, {@code ""} for the null sender; null before MAIL. */
    public String sender;
    /** The reverse path as the client gave it, for logs and policy (before canonical_maps). */
    public String originalSender;
    /** SIZE= (RFC 1870), -1 when not given. */
    public long declaredSize = -1;
    /** BODY= (RFC 6152 / RFC 3030): 7BIT, 8BITMIME or BINARYMIME. */
    public String body = "7BIT";
    /** SMTPUTF8 (RFC 6531 3.4). */
    public boolean smtpUtf8;
    /** RET= and ENVID= (RFC 3461 4.3, 4.4). */
    public String ret;
    public String envId;
    /** Recipients accepted so far, after rewriting (ORCPT keeps what the client wrote). */
    public final List<Envelope.Recipient> recipients = new ArrayList<>();
    /** RCPT commands accepted (one may expand to several recipients). */
    public int acceptedRcptCommands;
    /** RCPT commands given, accepted or not. */
    public int rcptCommands;
    /** For LMTP: the userdb user of each accepted RCPT, in order, with the address it was given as. */
    public final List<Object> deliveryTargets = new ArrayList<>();
    /** The queue id of the message being received, for logs. */
    public String queueId;
    /** The message being received (DATA or BDAT), or null. */
    public MessageIntake intake;
    /** A BDAT chunk was refused: the rest of the sequence is read and discarded (RFC 3030 section 2). */
    public SmtpExceptionHolder bdatFailure;

    public boolean hasMail() {
        return sender != null;
    }

    /** The first refusal within a BDAT sequence, answered to every later chunk. */
    public record SmtpExceptionHolder(org.mailserver.smtp.codec.SmtpReply reply) {
    }
}
