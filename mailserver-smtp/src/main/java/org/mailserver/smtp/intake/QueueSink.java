package org.mailserver.smtp.intake;

import java.io.IOException;
import java.util.List;
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.IncomingMessage;
import org.mailserver.core.queue.MessageQueue;
import org.mailserver.smtp.codec.SmtpReply;

/**
 * The SMTP side of the hand-off: a message goes into the durable queue, and "250 2.0.0 Ok: queued as ID"
 * is produced only after {@link IncomingMessage#commit()} returned, i.e. after the queue file was forced
 * to disk under a name that is durable too (a spare file's, or a new file's after its directory was forced).
 */
public final class QueueSink implements ContentSink {
    private final MessageQueue queue;
    private IncomingMessage message;

    public QueueSink(MessageQueue queue) {
        this.queue = queue;
    }

    @Override
    public String open(Envelope envelope) throws IOException {
        message = queue.begin(envelope);
        return message.queueId();
    }

    @Override
    public boolean opensWithoutIo() {
        return queue.beginIsNonBlocking();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        message.write(bytes, offset, length);
    }

    @Override
    public List<SmtpReply> commit() throws IOException {
        String id = message.commit();
        return List.of(SmtpReply.of(250, "2.0.0", "Ok: queued as " + id));
    }

    @Override
    public void abort() {
        if (message != null) {
            message.abort();
        }
    }
}
