package org.mailserver.smtp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.IncomingMessage;
import org.mailserver.core.queue.MessageQueue;

/** An in-memory {@link MessageQueue} for tests: committed messages are kept in order, aborted ones counted. */
public final class RecordingQueue implements MessageQueue {

    public record Queued(String id, Envelope envelope, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    public final List<Queued> committed = new CopyOnWriteArrayList<>();
    public final AtomicInteger aborted = new AtomicInteger();
    public volatile boolean failCommit;
    private final AtomicInteger ids = new AtomicInteger(0x1000);

    @Override
    public IncomingMessage begin(Envelope envelope) {
        String id = "Q" + Integer.toHexString(ids.incrementAndGet()).toUpperCase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new IncomingMessage() {
            boolean done;

            @Override
            public String queueId() {
                return id;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                out.write(bytes, offset, length);
            }

            @Override
            public long size() {
                return out.size();
            }

            @Override
            public String commit() throws IOException {
                if (failCommit) {
                    throw new IOException("disk full (test)");
                }
                done = true;
                committed.add(new Queued(id, envelope, out.toByteArray()));
                return id;
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    aborted.incrementAndGet();
                }
            }
        };
    }

    public Queued last() {
        return committed.get(committed.size() - 1);
    }
}
