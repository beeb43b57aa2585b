package org.mailserver.smtp.session;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.address.MailAddress;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.command.CommandRegistry;
import org.mailserver.smtp.intake.ContentSink;

/**
 * What differs between SMTP and LMTP (RFC 2033) on top of the shared session: the command table (LHLO
 * instead of HELO/EHLO), how a recipient is accepted (restrictions and rewriting for SMTP; a mailbox
 * that exists and has room for LMTP) and where the message goes (the queue, or straight into the store
 * with one reply per recipient).
 */
public interface SmtpDialect {

    /** {@code SMTP} or {@code LMTP}, for logs, the Received: header and the policy protocol. */
    String protocolName();

    CommandRegistry registry();

    /** The decision on one RCPT: a reply, and when positive the recipients it adds. */
    record RcptOutcome(SmtpReply reply, List<Envelope.Recipient> recipients, Object deliveryTarget) {
        public static RcptOutcome refused(SmtpReply reply) {
            return new RcptOutcome(reply, List.of(), null);
        }
    }

    /**
     * Decides one recipient; called on the event loop, may complete later (it usually runs on the
     * blocking executor). The completion is handled back on the event loop by the caller.
     *
     * @param address the forward path as given, parsed
     * @param orcpt   the ORCPT to record (given by the client, or made from the address)
     */
    CompletionStage<RcptOutcome> acceptRecipient(SmtpSession session, MailAddress address, String orcpt, String notify);

    /** A new sink for the current transaction's message. */
    ContentSink newSink(SmtpSession session);
}
