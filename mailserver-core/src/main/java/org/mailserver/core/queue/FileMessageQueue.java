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
 * The one exception is the arrival of a message written into a spare file ({@link #startSpares}): its
 * name was durable in {@code incoming/} before it was written, so its rename into {@code active/} is not
 * forced, and start-up recovery takes complete files from {@code incoming/} ({@link #recoverIncoming}).
 *
 * <p>Thread safety: {@link #begin} is safe from any thread; the other methods are called by the queue
 * manager under its own per-message discipline (or by the admin tools while the daemon is down).
 */
public final class FileMessageQueue implements MessageQueue {
    private static final Logger log = LoggerFactory.getLogger(FileMessageQueue.class);

    private final Path root;
    private volatile Consumer<String> arrivalListener = id -> { };
    /** Pre-created files in incoming/ (daemon only, after recovery); null: each message creates its own. */
    private volatile SpareQueueFiles spares;

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
        SpareQueueFiles pool = spares;
        String spare = pool == null ? null : pool.take();
        if (spare != null) {
            return new QueueFileWriter(this, spare, path(QueueState.INCOMING, spare), envelope, true);
        }
        String id = QueueId.next();
        return new QueueFileWriter(this, id, path(QueueState.INCOMING, id), envelope, false);
    }

    /**
     * Starts keeping spare files in {@code incoming/} for {@link #begin}. Call after
     * {@link #recoverIncoming} (which would take the spares for unfinished transfers and delete them).
     */
    public synchronized void startSpares() {
        if (spares == null) {
            SpareQueueFiles pool = new SpareQueueFiles(this);
            pool.start();
            spares = pool;
        }
    }

    /** Stops making spares; those left in incoming/ are removed by the next start's recovery. */
    public synchronized void stopSpares() {
        if (spares != null) {
            spares.close();
            spares = null;
        }
    }

    /** How many spare files are ready (tests). */
    int sparesReady() {
        SpareQueueFiles pool = spares;
        return pool == null ? 0 : pool.ready();
    }

    @Override
    public boolean beginIsNonBlocking() {
        return true;
    }

    /**
     * Second half of commit: the file is complete and forced; make it visible in active/. A spare file's
     * name was already durable in incoming/, where recovery would find it complete, so its move is not
     * forced; a file created for this message is durable only once the directory it lands in is synced.
     */
    void publish(String id, Path incoming, Envelope envelope, long size, boolean durableInIncoming) throws IOException {
        Path target = path(QueueState.ACTIVE, id);
        atomicMove(incoming, target);
        if (!durableInIncoming) {
            try {
                fsyncDirectory(target.getParent());
            } catch (IOException e) {
                Files.deleteIfExists(target);
                throw e;
            }
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
     * Removes a message from {@code active/} whose every recipient is done (delivered, bounced or
     * expired). With the spare pool running its file is kept as a future spare ({@link SpareQueueFiles#recycle}:
     * renamed into {@code incoming/} and emptied) rather than deleted; otherwise, or when the pool is full,
     * as {@link #delete}. Either way the message is gone from the queue when this returns.
     */
    public void retire(String id) throws IOException {
        SpareQueueFiles pool = spares;
        Path p = path(QueueState.ACTIVE, id);
        if (pool == null || !pool.recycle(p)) {
            Files.deleteIfExists(p);
        }
    }

    /**
     * Start-up recovery of {@code incoming/}, before any session runs: a complete file (its 'X' record
     * read back intact) may have been acknowledged (a spare file is forced in place and its move into
     * {@code active/} is not; see {@link #publish}), so it moves to {@code active/}, where the queue
     * manager recovers it like any other, its local recipients in doubt. Anything else (an empty spare, a
     * transfer a crash or stop cut short) was never acknowledged and is removed. Returns how many complete
     * files were moved.
     */
    public int recoverIncoming() throws IOException {
        int moved = 0;
        for (String id : list(QueueState.INCOMING)) {
            Path p = path(QueueState.INCOMING, id);
            boolean complete;
            try {
                QueueFile.read(p, id, false);
                complete = true;
            } catch (CorruptQueueFileException e) {
                complete = false;
            } catch (NoSuchFileException e) {
                continue;
            }
            if (complete && !Files.exists(path(QueueState.ACTIVE, id))) {
                move(id, QueueState.INCOMING, QueueState.ACTIVE);
                log.info("{}: recovered a complete incoming file into active/", id);
                moved++;
            } else if (Files.deleteIfExists(p)) {
                // complete and also in active/: a file system that applied only half of the rename
                log.debug("{}: removed {} incoming file", id, complete ? "a second name of an active" : "an unfinished");
            }
        }
        return moved;
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
