package org.mailserver.core.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one new queue file in {@code incoming/} ({@link QueueFile} format): header records when the
 * file is created (lazily: when the first 64 KB chunk is full, or at commit for a smaller message),
 * content in 'M' chunks as it streams in, and on {@link #commit()} the 'X' record, an fsync of the file,
 * the atomic rename into {@code active/} and an fsync of that directory (not needed for a spare file, whose
 * name in {@code incoming/} was durable before it was handed out: {@link SpareQueueFiles}). Only then is
 * the ID returned, so a {@code 250} is never sent for a message a crash could lose. One writer per session
 * thread.
 */
final class QueueFileWriter implements IncomingMessage {
    private static final Logger log = LoggerFactory.getLogger(QueueFileWriter.class);
    private static final int CHUNK = 64 * 1024;
    /**
     * The content buffer starts this small and doubles up to {@link #CHUNK}: most mail is a few KB, and
     * a 64 KB array per message was the largest allocation of a session (measured with JFR at 1 SMTP
     * session, 5 KB messages: about a sixth of all bytes allocated, hence minor GCs).
     */
    private static final int FIRST_BUFFER = 8 * 1024;

    private final FileMessageQueue queue;
    private final String id;
    private final Path path;
    private final Envelope envelope;
    private FileChannel channel;
    /**
     * Records not yet written: the header records and the content chunk of a small message go out in one
     * gathering write at commit (a system call per record was ten calls on the critical path of a 250).
     */
    private final java.util.List<ByteBuffer> pending = new java.util.ArrayList<>(16);
    private byte[] buffer = new byte[FIRST_BUFFER];
    private int buffered;
    private long size;
    private boolean closed;
    /** The file exists in incoming/ (it is created lazily, see {@link #create}, unless it is a spare). */
    private boolean created;
    /** The file is a spare ({@link SpareQueueFiles}): it exists, empty, its name already durable. */
    private final boolean spare;

    QueueFileWriter(FileMessageQueue queue, String id, Path path, Envelope envelope, boolean spare) {
        this.queue = queue;
        this.id = id;
        this.path = path;
        this.envelope = envelope;
        this.spare = spare;
        this.created = spare;
        if (envelope.recipients().isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
    }

    /**
     * Creates the file with its header records, on the first chunk or at commit (so that {@code begin}
     * does no I/O and a small message is written by one system call sequence at the end of DATA).
     */
    private void create() throws IOException {
        if (spare) {
            channel = FileChannel.open(path, StandardOpenOption.WRITE);
        } else {
            if (queue.find(id).isPresent()) {
                throw new IOException(id + ": queue id already in use");
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        created = true;
        try {
            pending.add(ByteBuffer.wrap(new byte[] {QueueFile.MAGIC[0], QueueFile.MAGIC[1], QueueFile.MAGIC[2],
                QueueFile.MAGIC[3], QueueFile.VERSION}));
            for (String attribute : QueueFile.attributes(envelope)) {
                pending.add(QueueFile.encode(QueueFile.ATTRIBUTE, QueueFile.clean(attribute)));
            }
            for (Envelope.Recipient r : envelope.recipients()) {
                pending.add(QueueFile.encode(QueueFile.RECIPIENT, QueueFile.recipientPayload(r)));
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public String queueId() {
        return id;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (buffered == buffer.length && buffer.length < CHUNK) {
                buffer = java.util.Arrays.copyOf(buffer, Math.min(CHUNK, Math.max(buffer.length * 2, buffered + length)));
            }
            int n = Math.min(length, buffer.length - buffered);
            System.arraycopy(bytes, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
            size += n;
            if (buffered == CHUNK) {
                flushChunk();
            }
        }
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public synchronized String commit() throws IOException {
        ensureOpen();
        try {
            if (channel == null) {
                create();
            }
            flushChunk();
            pending.add(QueueFile.encode(QueueFile.END, Long.toString(size)));
            writePending();
            channel.force(true);
            channel.close();
            channel = null;
            queue.publish(id, path, envelope, size, spare);
            closed = true;
            return id;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public synchronized void abort() {
        if (!created || (closed && channel == null && !Files.exists(path))) {
            closed = true;
            return; // never created: nothing on disk; or already committed or removed
        }
        closed = true;
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            log.debug("{}: close on abort: {}", id, e.toString());
        }
        channel = null;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("{}: could not remove incoming file: {}", id, e.toString());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(id + ": queue file already committed or aborted");
        }
    }

    private void flushChunk() throws IOException {
        if (buffered > 0) {
            if (channel == null) {
                create();
            }
            pending.add(QueueFile.encode(QueueFile.CONTENT, buffer, 0, buffered));
            buffered = 0;
            if (buffer.length == CHUNK) {
                writePending(); // a large message: one write per 64 KB chunk as it streams in
            }
        }
    }

    /** Writes the pending records in order with gathering writes (writev), then forgets them. */
    private void writePending() throws IOException {
        ByteBuffer[] bufs = pending.toArray(new ByteBuffer[0]);
        long left = 0;
        for (ByteBuffer b : bufs) {
            left += b.remaining();
        }
        while (left > 0) {
            left -= channel.write(bufs);
        }
        pending.clear();
    }
}
