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
 * A Dovecot-compatible dot-lock: {@code FILE.lock} created with O_EXCL (Dovecot's
 * {@code dotlock_use_excl = yes}) holding {@code pid:host}. Whoever created it owns FILE. A lock
 * older than the stale timeout (Dovecot: 2 minutes for dovecot-uidlist, 30 s for subscriptions) is
 * taken over, as Dovecot does; so is, at once, a lock whose owner was a process on this host that no longer
 * exists (Dovecot's file-dotlock.c reads the pid and checks it with kill(pid, 0)). Without that, a daemon
 * restarted after kill -9 waited the full stale timeout on every mailbox it had been writing, deferring
 * all local delivery for two minutes. {@link #replace} writes new contents into the lock file and renames it
 * over FILE, which publishes the file and releases the lock in one atomic step (Dovecot's
 * {@code file_dotlock_replace}).
 */
final class DotLock implements AutoCloseable {
    static final long UIDLIST_STALE_MILLIS = 120_000;
    static final long SHORT_STALE_MILLIS = 30_000;
    private static final long TIMEOUT_MILLIS = 30_000;
    private static final String OWNER = ManagementFactory.getRuntimeMXBean().getName().replace('@', ':');

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
                try (FileChannel ch = FileChannel.open(lock.lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(OWNER.getBytes(StandardCharsets.US_ASCII)));
                }
                lock.held = true;
                return lock;
            } catch (FileAlreadyExistsException e) {
                try {
                    FileTime mtime = Files.getLastModifiedTime(lock.lockFile);
                    String owner = readOwner(lock.lockFile);
                    if (System.currentTimeMillis() - mtime.toMillis() > staleMillis || ownerIsDead(owner)) {
                        // Stale: its owner died. Dovecot overrides such locks the same way. Deleted only if it
                        // still names the same owner, so a lock just retaken by a live process is left alone.
                        if (owner.equals(readOwner(lock.lockFile))) {
                            Files.deleteIfExists(lock.lockFile);
                        }
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

    /** The {@code pid:host} a lock file holds; empty when it is being written or unreadable as such. */
    private static String readOwner(Path lockFile) throws IOException {
        byte[] b = Files.readAllBytes(lockFile);
        return b.length > 256 ? "" : new String(b, StandardCharsets.US_ASCII).strip();
    }

    /**
     * True when the lock names a process of this host (same host name as ours) other than this JVM that is not
     * running: its owner was killed. A lock of another host, or without a readable pid, is judged by age only.
     */
    static boolean ownerIsDead(String owner) {
        int colon = owner.indexOf(':');
        if (colon <= 0 || !owner.substring(colon + 1).equals(OWNER.substring(OWNER.indexOf(':') + 1))) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(owner.substring(0, colon));
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid == ProcessHandle.current().pid()) {
            return false; // another thread of ours holds it
        }
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** Writes the new contents of the target into the lock file and renames it over the target. */
    void replace(byte[] contents, boolean fsync) throws IOException {
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
