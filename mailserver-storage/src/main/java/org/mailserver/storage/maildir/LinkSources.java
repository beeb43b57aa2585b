package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's link sources for {@link DotLock}: for each lock name, one file {@code NAME.lock.tmp.PID}
 * beside it holding {@code pid:host}, made the first time the process takes that lock and kept. Taking the
 * lock hard-links the source to the lock name, releasing it removes that name, so a delivery adds and
 * removes a directory entry instead of creating and freeing an inode. A file made and deleted per
 * delivery (the old private temporary file) cost three more system calls, and on ext4 without a journal
 * much more: the allocator skips every inode freed in the last 30 seconds, reading each one's inode
 * block, so under a steady stream of deliveries each new file paid for the thousands freed before it.
 *
 * <p>Sources are removed when the JVM exits normally; those of a process killed with -9 are removed by
 * the next process that makes a source in that directory (their pid is gone on this host).
 */
final class LinkSources {
    private static final String PID = Long.toString(ProcessHandle.current().pid());
    private static final String HOST = DotLock.OWNER.substring(DotLock.OWNER.indexOf(':') + 1);
    private static final Map<Path, Path> SOURCES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LinkSources::removeAll, "dotlock-link-sources"));
    }

    private LinkSources() {
    }

    /** This process's source for a lock file, made (with the dead processes' ones swept) on first use. */
    static Path sourceFor(Path lockFile) throws IOException {
        Path known = SOURCES.get(lockFile);
        if (known != null) {
            return known;
        }
        synchronized (SOURCES) { // rare (once per lock name), and never two writers of one source
            known = SOURCES.get(lockFile);
            if (known != null) {
                return known;
            }
            sweepDead(lockFile);
            Path source = lockFile.resolveSibling(lockFile.getFileName() + ".tmp." + PID);
            Files.write(source, DotLock.OWNER.getBytes(StandardCharsets.US_ASCII));
            SOURCES.put(lockFile, source);
            return source;
        }
    }

    /** The source is gone or unusable: the next {@link #sourceFor} makes it again. */
    static void forget(Path lockFile, Path source) {
        SOURCES.remove(lockFile, source);
    }

    /** Removes the source's own name (the lock, its other name, is about to become another file). */
    static void detach(Path lockFile) throws IOException {
        synchronized (SOURCES) {
            Path source = SOURCES.remove(lockFile);
            if (source != null) {
                Files.deleteIfExists(source);
            }
        }
    }

    /** Deletes the sources, and the old per-lock temporary files, of processes of this host that are gone. */
    private static void sweepDead(Path lockFile) {
        String prefix = lockFile.getFileName() + ".tmp.";
        try (DirectoryStream<Path> names = Files.newDirectoryStream(lockFile.getParent(), p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : names) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dot = rest.indexOf('.'); // the old temporary files were NAME.lock.tmp.PID.COUNTER
                long pid;
                try {
                    pid = Long.parseLong(dot < 0 ? rest : rest.substring(0, dot));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    || !ofThisHost(p)) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // a leftover only takes a directory entry; the lock works without the sweep
        }
    }

    private static boolean ofThisHost(Path p) throws IOException {
        String content = Files.readString(p, StandardCharsets.US_ASCII).trim();
        return content.endsWith(":" + HOST);
    }

    private static void removeAll() {
        synchronized (SOURCES) {
            for (Path source : SOURCES.values()) {
                try {
                    Files.deleteIfExists(source);
                } catch (IOException e) {
                    // left behind: the next process on this host sweeps it
                }
            }
            SOURCES.clear();
        }
    }
}
