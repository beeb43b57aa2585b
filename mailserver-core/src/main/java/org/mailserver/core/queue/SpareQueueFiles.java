package org.mailserver.core.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empty queue files made ahead of time in {@code incoming/}, their directory entries forced to disk in
 * batches by a background thread, so that receiving a message costs one fsync before the {@code 250}
 * (the file's own) instead of two (the file's, then the directory its rename lands in). On a disk that
 * serialises cache flushes, as the virtual disks of a VPS do, the second flush was a third of the time of
 * a one-session SMTP transaction (measured: 1.7 ms per message with it, 1.25 ms without).
 *
 * <p>Crash guarantees: a spare's name is durable in {@code incoming/} before {@link #take} hands it out,
 * so once its content is written and forced the message survives a crash there even if the rename into
 * {@code active/} that follows is lost; start-up recovery ({@link FileMessageQueue#recoverIncoming})
 * moves complete files from {@code incoming/} to {@code active/} and deletes empty or unfinished ones
 * (spares left by a stop, or transfers a crash cut short). A spare that cannot be created (disk full)
 * leaves the pool empty, and a session then creates its file the ordinary way.
 *
 * <p>Files are reused ({@link #recycle}): the file of a message whose every recipient is done is renamed
 * into {@code incoming/} under a fresh ID and emptied, instead of being deleted while the next spare is
 * created. On ext4 without a journal (common on VPS images) allocating an inode costs a scan over every
 * inode freed in the last minute or more ({@code recently_deleted} in the kernel), and a queue that
 * freed one inode and allocated one per message made that scan grow with the mail rate: with one
 * session after a 10,000-message burst, this thread's inode allocations were 17 % of all CPU samples,
 * and the Maildir deliveries paid for the freed inodes as well. A recycled file is handed out only after
 * the directories it left and entered are forced, so a crash cannot leave its old name pointing at the
 * new message; a crash before that leaves at most the old content under the new name in
 * {@code incoming/}, which recovery treats as any complete file: back into {@code active/}, its
 * recipients done or, for local ones whose unforced 'D' record was lost, in doubt and checked against
 * the mailbox before storing again.
 *
 * <p>IDs carry their creation time ({@link QueueId}): spares older than {@link #MAX_AGE_MILLIS} are
 * replaced, so that queue IDs still sort roughly by arrival after an idle night. A recycled file gets
 * its ID when it is recycled.
 *
 * <p>Thread-safe: {@link #take} from any thread without blocking (sessions call it on an event loop).
 */
final class SpareQueueFiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpareQueueFiles.class);
    /** Enough for a burst of 50 sessions finishing DATA at once between two refills. */
    static final int TARGET = 64;
    /** Refill when fewer are left. */
    static final int LOW_WATER = 32;
    /** At most this many spares, ready and recycled, exist; a finished file beyond that is deleted. */
    static final int MAX_KEPT = 2 * TARGET;
    static final long MAX_AGE_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final long RETRY_MILLIS = 5_000;

    private record Spare(String id, long createdMillis) {
    }

    private final FileMessageQueue queue;
    private final Path incoming;
    private final ConcurrentLinkedQueue<Spare> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    /** Recycled files, emptied but not yet forced into their directories (not handed out yet). */
    private final ConcurrentLinkedQueue<Spare> recycled = new ConcurrentLinkedQueue<>();
    private final AtomicInteger recycledCount = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wanted = lock.newCondition();
    private final Thread filler;
    private volatile boolean running = true;

    SpareQueueFiles(FileMessageQueue queue) {
        this.queue = queue;
        this.incoming = queue.root().resolve(QueueState.INCOMING.directory());
        this.filler = new Thread(this::fillLoop, "queue-spares");
        filler.setDaemon(true);
    }

    void start() {
        filler.start();
    }

    /** The ID of a durable empty file in {@code incoming/}, now the caller's; null when none is ready. */
    String take() {
        Spare s = ready.poll();
        int left = s == null ? 0 : count.decrementAndGet();
        if (left < LOW_WATER && lock.tryLock()) {
            try {
                wanted.signal();
            } finally {
                lock.unlock();
            }
        }
        return s == null ? null : s.id();
    }

    /** How many spares are ready (tests). */
    int ready() {
        return count.get();
    }

    /**
     * Takes over the file of a finished message (every recipient done) as a future spare: renames it
     * into {@code incoming/} under a fresh ID and empties it. Returns false when the pool is full or
     * stopped, or the rename fails; the caller then deletes the file itself. Called by the queue manager
     * on a delivery thread; the directories are forced by this pool's thread before the file is handed out.
     */
    boolean recycle(Path finished) {
        if (!running || count.get() + recycledCount.get() >= MAX_KEPT) {
            return false;
        }
        String id = QueueId.next();
        Path target = queue.path(QueueState.INCOMING, id);
        try {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            log.debug("queue: cannot reuse {} as a spare: {}", finished.getFileName(), e.toString());
            return false;
        }
        try {
            // Emptied after the rename, so that the name in active/ never shows an empty file; until the
            // directories are forced, a crash may bring back either name with the old, finished content.
            Files.newByteChannel(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
        } catch (IOException | RuntimeException e) {
            log.warn("queue: cannot empty the reused queue file {}: {}", target, e.toString());
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // recovery removes it: it is complete with every recipient done, or empty
            }
            return true; // the finished file is gone from its directory either way
        }
        recycled.add(new Spare(id, System.currentTimeMillis()));
        recycledCount.incrementAndGet();
        return true;
    }

    private void fillLoop() {
        while (running) {
            try {
                replaceStale();
                adoptRecycled();
                if (count.get() < LOW_WATER) {
                    fill(TARGET - count.get());
                }
                lock.lock();
                try {
                    if (running && count.get() >= LOW_WATER) {
                        wanted.await(MAX_AGE_MILLIS / 2, TimeUnit.MILLISECONDS);
                    }
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("queue: cannot create spare queue files in {} ({}); sessions create their own meanwhile",
                    incoming, e.toString());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Creates up to {@code n} empty files, forces the directory once, then offers them. */
    private void fill(int n) throws IOException {
        List<Spare> made = new ArrayList<>(n);
        try {
            for (int i = 0; i < n && running; i++) {
                String id = QueueId.next();
                if (queue.find(id).isPresent()) {
                    continue; // cannot happen with a fresh ID, but an ID must never name two messages
                }
                Files.newByteChannel(queue.path(QueueState.INCOMING, id),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                made.add(new Spare(id, System.currentTimeMillis()));
            }
            // POSIX: a new name survives a crash only once its directory is synced. One sync for the batch.
            FileMessageQueue.fsyncDirectory(incoming);
        } catch (IOException | RuntimeException e) {
            delete(made);
            throw e;
        }
        offer(made);
    }

    /** Hands out spares whose names are durable. */
    private void offer(List<Spare> spares) {
        ready.addAll(spares);
        count.addAndGet(spares.size());
    }

    /** Removes spares that will not be handed out (a failed batch); recovery removes any left behind. */
    private void delete(List<Spare> spares) throws IOException {
        for (Spare s : spares) {
            Files.deleteIfExists(queue.path(QueueState.INCOMING, s.id()));
        }
    }

    /**
     * Makes recycled files ready: one sync of {@code active/} (the names they left) and one of
     * {@code incoming/} (the names they took) for the whole batch. Those recycled longer ago than the
     * maximum age are deleted instead.
     */
    private void adoptRecycled() throws IOException {
        if (recycled.isEmpty()) {
            return;
        }
        List<Spare> batch = new ArrayList<>();
        for (Spare s; (s = recycled.poll()) != null; ) {
            recycledCount.decrementAndGet();
            if (System.currentTimeMillis() - s.createdMillis() >= MAX_AGE_MILLIS) {
                Files.deleteIfExists(queue.path(QueueState.INCOMING, s.id()));
            } else {
                batch.add(s);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            // POSIX: a rename survives a crash only once both directories are synced. Were the old name
            // to come back after the file holds a new message, that message would be delivered twice.
            FileMessageQueue.fsyncDirectory(queue.root().resolve(QueueState.ACTIVE.directory()));
            FileMessageQueue.fsyncDirectory(incoming);
        } catch (IOException | RuntimeException e) {
            delete(batch);
            throw e;
        }
        offer(batch);
    }

    /** Deletes spares older than the maximum age (their IDs would sort before newer mail). */
    private void replaceStale() throws IOException {
        Spare oldest = ready.peek();
        if (oldest == null || System.currentTimeMillis() - oldest.createdMillis() < MAX_AGE_MILLIS) {
            return;
        }
        int n = count.get();
        for (int i = 0; i < n; i++) {
            Spare s = ready.poll();
            if (s == null) {
                break;
            }
            count.decrementAndGet();
            Files.deleteIfExists(queue.path(QueueState.INCOMING, s.id()));
        }
    }

    /** Stops the filler; the spares stay on disk and are removed by the next start's recovery. */
    @Override
    public void close() {
        running = false;
        filler.interrupt();
        try {
            filler.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
