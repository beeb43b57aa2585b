package org.mailserver.core.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.mailserver.core.queue.Envelope;

/**
 * One delivery job: a message and the recipients of it that share one {@link Route}.
 *
 * @param queueId     the queue ID, for logs and trace headers
 * @param envelope    the whole envelope (sender, DSN parameters; recipients of other routes included)
 * @param route       transport and next hop chosen by the queue manager
 * @param recipients  the recipients of this job, with their index in the envelope
 * @param contentSize message size in bytes
 * @param content     opens the message content (CRLF lines) afresh; the caller closes each stream
 * @param queuedAt    when the queue manager took the message in for this attempt (the delays "b" origin)
 */
public record DeliveryRequest(String queueId, Envelope envelope, Route route, List<Rcpt> recipients,
                              long contentSize, ContentSource content, Instant queuedAt) {

    /**
     * @param index     the recipient's position in the envelope (the key of its queue-file records)
     * @param recipient the address with its DSN parameters
     * @param inDoubt   a previous local delivery to this recipient started and the outcome was never
     *                  recorded (crash): the agent must check whether the message is already there
     */
    public record Rcpt(int index, org.mailserver.core.queue.Envelope.Recipient recipient, boolean inDoubt) {
        public String address() {
            return recipient.address();
        }
    }

    /** Re-readable message content. */
    @FunctionalInterface
    public interface ContentSource {
        InputStream open() throws IOException;
    }
}
