package org.mailserver.lmtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.intake.ContentSink;
import org.mailserver.storage.LocalDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LMTP's sink: the message is held (in memory, or a temporary file above lmtp_max_message_in_memory)
 * and then delivered to each accepted recipient's mailbox through {@link LocalDelivery}, which returns
 * only once the message is durable. One reply per recipient, in RCPT order (RFC 2033 4.2), so the LMTP
 * client (Postfix) defers or bounces each recipient on its own. No queue is involved.
 */
final class LmtpDeliverySink implements ContentSink {
    private static final Logger log = LoggerFactory.getLogger("org.mailserver.lmtpd");
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() & 0xfffffff);

    private final LocalDelivery delivery;
    private final List<DeliveryTarget> targets;
    private final long memoryLimit;
    private String id;
    private String returnPath;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileOut;

    LmtpDeliverySink(LocalDelivery delivery, List<DeliveryTarget> targets, long memoryLimit) {
        this.delivery = delivery;
        this.targets = List.copyOf(targets);
        this.memoryLimit = memoryLimit;
    }

    @Override
    public String open(Envelope envelope) {
        id = "L" + Long.toHexString(IDS.incrementAndGet()).toUpperCase();
        returnPath = envelope.sender();
        return id;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (memory != null && memory.size() + length > memoryLimit) {
            file = Files.createTempFile("lmtp-", ".eml");
            fileOut = Files.newOutputStream(file);
            memory.writeTo(fileOut);
            memory = null;
        }
        if (memory != null) {
            memory.write(bytes, offset, length);
        } else {
            fileOut.write(bytes, offset, length);
        }
    }

    @Override
    public List<SmtpReply> commit() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
        List<SmtpReply> replies = new ArrayList<>();
        try {
            for (DeliveryTarget t : targets) {
                LocalDelivery.Result r;
                try (InputStream in = content()) {
                    r = delivery.deliver(t.user(), t.mailbox(), returnPath, t.address(), in);
                }
                log.info("{}: to=<{}>, relay=lmtp, status={} ({} {} {})", id, t.address(),
                    r.ok() ? "sent" : r.status() == LocalDelivery.Result.Status.TEMPORARY_FAILURE ? "deferred" : "bounced",
                    r.smtpCode(), r.enhancedCode(), r.text());
                replies.add(r.ok()
                    ? SmtpReply.of(250, "2.0.0", "<" + t.address() + "> " + id + " Saved")
                    : SmtpReply.of(r.smtpCode(), r.enhancedCode(), "<" + t.address() + "> " + r.text()));
            }
        } finally {
            abort();
        }
        return replies;
    }

    private InputStream content() throws IOException {
        return memory != null ? new ByteArrayInputStream(memory.toByteArray()) : Files.newInputStream(file);
    }

    @Override
    public void abort() {
        try {
            if (fileOut != null) {
                fileOut.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("cannot remove temporary file {}: {}", file, e.toString());
        }
        memory = null;
    }
}
