package org.mailserver.core.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue on disk: one {@link QueueFile} per message in one of the {@link QueueState}
 * directories under {@code queue_directory}. Receiving sessions call {@link #begin}; the queue manager and
 * the admin tools move, read and delete files through the other methods. A move is an atomic rename
 * followed by an fsync of the target directory, so after a crash a message is in exactly one directory.
 *
 * <p>Thread safety: {@link #begin} is safe from any thread; the other methods are called by the queue
 * manager under its own per-message discipline (or by the admin tools while the daemon is down).
 */
public final class FileMessageQueue implements MessageQueue {
    private static final Logger log = LoggerFactory.getLogger(FileMessageQueue.class);

    private final Path root;
    private volatile Consumer<String> arrivalListener = id -> { };

    public FileMessageQueue(Path root) throws IOException {
        this.root = root;
        for (QueueState state : QueueState.values()) {
            Files.createDirectories(root.resolve(state.directory()));
        }
    }

    public Path root() {
        return root;
    }

    /** Called with the ID of each newly committed message (the queue manager schedules it). */
    public void onArrival(Consumer<String> listener) {
        this.arrivalListener = listener;
    }

    /**
     * Assigns the ID only: the file is created in {@code incoming/} when its first 64 KB are written or
     * at commit, on the caller's (blocking) thread. IDs are unique by construction ({@link QueueId}); the
     * writer still refuses, when it creates the file, an ID that some queue directory already holds.
     */
    @Override
    public IncomingMessage begin(Envelope envelope) {
        String id = QueueId.next();
        return new QueueFileWriter(this, id, path(QueueState.INCOMING, id), envelope);
    }

    @Override
    public boolean beginIsNonBlocking() {
        return true;
    }

    /** Second half of commit: the file is complete and forced; make it visible in active/. */
    void publish(String id, Path incoming, Envelope envelope, long size) throws IOException {
        Path target = path(QueueState.ACTIVE, id);
        atomicMove(incoming, target);
        try {
            fsyncDirectory(target.getParent());
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        log.info("{}: from=<{}>, size={}, nrcpt={} (queue active)", id, envelope.sender(), size, envelope.recipients().size());
        arrivalListener.accept(id);
    }

    public Path path(QueueState state, String id) {
        if (!QueueId.isValid(id)) {
            throw new IllegalArgumentException("not a queue id: " + id);
        }
        return root.resolve(state.directory()).resolve(id);
    }

    /** Which directory holds this ID, if any (incoming excluded). */
    public Optional<QueueState> find(String id) {
        if (!QueueId.isValid(id)) {
            return Optional.empty();
        }
        for (QueueState state : QueueState.values()) {
            if (state != QueueState.INCOMING && Files.exists(path(state, id))) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** The IDs in one directory, sorted (which is roughly arrival order). */
    public List<String> list(QueueState state) throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root.resolve(state.directory()))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (QueueId.isValid(name)) {
                    ids.add(name);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Reads a queue file; a file that does not parse is moved to {@code corrupt/} with a log line and
     * empty is returned. Empty also when the file is gone (deleted meanwhile).
     */
    public Optional<QueuedMessage> load(QueueState state, String id) throws IOException {
        Path p = path(state, id);
        try {
            return Optional.of(QueueFile.read(p, id));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CorruptQueueFileException e) {
            log.error("{}: corrupt queue file, moved to corrupt/: {}", id, e.getMessage());
            move(id, state, QueueState.CORRUPT);
            return Optional.empty();
        }
    }

    /** Reads a queue file without side effects (admin tools). */
    public QueuedMessage inspect(QueueState state, String id) throws IOException, CorruptQueueFileException {
        return QueueFile.read(path(state, id), id, false);
    }

    public InputStream openContent(QueueState state, QueuedMessage message) throws IOException {
        return QueueFile.openContent(path(state, message.id()), message);
    }

    /** Appends a bookkeeping record, forced to disk before returning. */
    public void append(QueueState state, String id, byte type, String payload) throws IOException {
        QueueFile.append(path(state, id), type, payload);
    }

    /**
     * Appends a bookkeeping record without forcing it. Used for the 'D' record of a local delivery: the
     * message is already durable in the mailbox, and if a crash loses the record the file is still in
     * {@code active/}, so its local recipients are "in doubt" at restart and the mailbox is checked
     * before storing again. The record becomes durable with the next forced append (the attempt record
     * written before any move to {@code deferred/} or {@code hold/}), or {@link #force} before a move.
     * Postfix's qmgr does not fsync its done marks either.
     */
    public void appendUnforced(QueueState state, String id, byte type, String payload) throws IOException {
        QueueFile.append(path(state, id), type, payload, false);
    }

    /** Forces a queue file's content to disk (records appended without force). */
    public void force(QueueState state, String id) throws IOException {
        try (FileChannel ch = FileChannel.open(path(state, id), StandardOpenOption.WRITE)) {
            ch.force(false);
        }
    }

    public void move(String id, QueueState from, QueueState to) throws IOException {
        if (from == to) {
            return;
        }
        Path target = path(to, id);
        atomicMove(path(from, id), target);
        fsyncDirectory(target.getParent());
    }

    /**
     * Removes a file. The directory is not forced (as in Postfix): if a crash undoes the removal, the
     * message reappears in its directory with every finished recipient marked done, and local recipients
     * are checked against the mailbox, so the cost is at most a repeated remote delivery.
     */
    public boolean delete(String id, QueueState state) throws IOException {
        return Files.deleteIfExists(path(state, id));
    }

    /**
     * Start-up clean-up: files still in {@code incoming/} were never acknowledged to a client (the ID is
     * returned only after the move out of incoming), so they are removed.
     */
    public int removeIncoming() throws IOException {
        int removed = 0;
        for (String id : list(QueueState.INCOMING)) {
            if (Files.deleteIfExists(path(QueueState.INCOMING, id))) {
                log.info("{}: removed unfinished incoming file", id);
                removed++;
            }
        }
        return removed;
    }

    private static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("queue_directory must be on one file system supporting atomic rename: " + e.getMessage(), e);
        }
    }

    /** Forces a directory's entries to disk, so a rename or create survives a crash (POSIX needs this). */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
