package org.mailserver.storage.maildir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * A Dovecot-compatible dot-lock: {@code FILE.lock} holding {@code pid:host}, made by hard-linking a
 * file that already holds it (Dovecot's default link() dot-lock; O_EXCL where there are no hard links),
 * so it is never seen empty. The file linked is this process's long-lived link source for that lock
 * ({@link LinkSources}), so that taking and releasing a lock adds and removes a name, not a file.
 * Whoever created it owns FILE. A lock older than the stale timeout (Dovecot: 2 minutes for
 * dovecot-uidlist, 30 s for subscriptions), naming a dead process of this host, or empty for
 * {@link #EMPTY_STALE_MILLIS}, is taken over, as Dovecot does. {@link #replace} writes new contents
 * into the lock file and renames it over FILE, which publishes the file and releases the lock in one atomic step (Dovecot's
 * {@code file_dotlock_replace}).
 */
final class DotLock implements AutoCloseable {
    static final long UIDLIST_STALE_MILLIS = 120_000;
    static final long SHORT_STALE_MILLIS = 30_000;
    private static final long TIMEOUT_MILLIS = 30_000;
    /** How long an empty lock file may exist before it counts as abandoned (see {@link #isEmpty}). */
    static final long EMPTY_STALE_MILLIS = 5_000;
    static final String OWNER = ManagementFactory.getRuntimeMXBean().getName().replace('@', ':');

    private final Path lockFile;
    private final Path target;
    private boolean held;

    private DotLock(Path target) {
        this.target = target;
        this.lockFile = target.resolveSibling(target.getFileName() + ".lock");
    }

    static DotLock acquire(Path target, long staleMillis) throws StorageException {
        DotLock lock = new DotLock(target);
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        long sleep = 1;
        while (true) {
            try {
                create(lock.lockFile);
                lock.held = true;
                return lock;
            } catch (FileAlreadyExistsException e) {
                try {
                    FileTime mtime = Files.getLastModifiedTime(lock.lockFile);
                    long age = System.currentTimeMillis() - mtime.toMillis();
                    if (age > staleMillis || ownerIsDead(lock.lockFile) || (age > EMPTY_STALE_MILLIS && isEmpty(lock.lockFile))) {
                        // Stale: its owner died. Dovecot overrides such locks the same way.
                        Files.deleteIfExists(lock.lockFile);
                        continue;
                    }
                } catch (NoSuchFileException gone) {
                    continue;
                } catch (IOException io) {
                    throw new StorageException(StorageError.TEMPORARY, "Lock check failed: " + io.getMessage(), io);
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new StorageException(StorageError.IN_USE, "Timeout waiting for lock " + lock.lockFile.getFileName());
                }
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new StorageException(StorageError.TEMPORARY, "Interrupted waiting for lock");
                }
                sleep = Math.min(50, sleep * 2);
            } catch (NoSuchFileException e) {
                throw new StorageException(StorageError.NOT_FOUND, "Mailbox directory is gone");
            } catch (IOException e) {
                throw new StorageException(StorageError.TEMPORARY, "Creating lock failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Creates the lock file already holding {@code pid:host} by hard-linking this process's link source
     * for it (atomic, fails if the lock exists: Dovecot's default link() dot-lock). Creating it empty with
     * O_EXCL and writing the owner after (the old way) left an EMPTY lock when the process was killed
     * between the two calls; an empty lock names no owner, so no one could see its owner was dead and every
     * delivery to the folder waited the full timeout, for two minutes. File systems without hard links
     * fall back to O_EXCL.
     */
    private static void create(Path lockFile) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path source = LinkSources.sourceFor(lockFile);
            try {
                // The lock's age is its mtime, for us and for Dovecot (stale after 2 minutes): a link does not
                // change it, so the long-lived source is stamped first.
                Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis()));
                Files.createLink(lockFile, source);
                return;
            } catch (NoSuchFileException e) {
                // the source went (a replace() took it, someone deleted it, the folder was removed): make it again once
                LinkSources.forget(lockFile, source);
                if (attempt > 0) {
                    throw e;
                }
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                if (e instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                LinkSources.detach(lockFile); // no hard links here: O_EXCL below, and no source left behind
                break;
            }
        }
        byte[] owner = OWNER.getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(owner));
        }
    }

    /**
     * An empty lock file is one whose creator died between O_EXCL and writing its owner (Dovecot with
     * {@code dotlock_use_excl}, or an older version of this class): a live creator writes at once, so
     * one empty for {@link #EMPTY_STALE_MILLIS} is abandoned.
     */
    private static boolean isEmpty(Path lockFile) throws IOException {
        return Files.size(lockFile) == 0;
    }

    /**
     * True when the lock names a process of this host that no longer exists (killed while holding it):
     * like Dovecot, we do not wait for the stale timeout then. Unknown contents count as alive.
     */
    private static boolean ownerIsDead(Path lockFile) {
        try {
            String content = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
            int colon = content.indexOf(':');
            if (colon <= 0 || !content.substring(colon + 1).equals(OWNER.substring(OWNER.indexOf(':') + 1))) {
                return false;
            }
            long pid = Long.parseLong(content.substring(0, colon));
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Writes the new contents of the target into the lock file and renames it over the target. */
    void replace(byte[] contents, boolean fsync) throws IOException {
        // The lock file is this process's link source under a second name: take that name away first, so
        // that the new contents below are the target's alone and the next lock links a fresh source.
        LinkSources.detach(lockFile);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(contents);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        Files.move(lockFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        held = false;
    }

    @Override
    public void close() {
        if (held) {
            held = false;
            try {
                Files.deleteIfExists(lockFile);
            } catch (IOException e) {
                // Left behind, it goes stale and is overridden; nothing else to do.
            }
        }
    }
}
