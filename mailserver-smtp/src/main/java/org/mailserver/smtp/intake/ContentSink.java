package org.mailserver.smtp.intake;

import java.io.IOException;
import java.util.List;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.codec.SmtpReply;

/**
 * Where a received message goes: the queue for SMTP ({@link QueueSink}), the mail store for LMTP. Every
 * method blocks and is called on the blocking executor, one at a time, in order: open, write..., then
 * commit or abort; only {@link #open} may run on the event loop, when {@link #opensWithoutIo()} says so.
 */
public interface ContentSink {

    /** Starts the message; returns its id (the queue id) for logs and the Received: header. */
    String open(Envelope envelope) throws IOException;

    /** True when {@link #open} does no I/O and may be called on the event loop (no hop before 354). */
    default boolean opensWithoutIo() {
        return false;
    }

    void write(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Makes the message durable and returns the replies to send: one for SMTP (RFC 5321), one per
     * accepted RCPT for LMTP (RFC 2033 4.2). Only after this returns may a positive reply be sent.
     */
    List<SmtpReply> commit() throws IOException;

    /** Forgets the message; safe to call more than once and after a failed commit. */
    void abort();
}
