package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Collection;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * The {@code dovecot-keywords} file of one Maildir folder: lines {@code <index> <keyword>}, index
 * 0..25 being the file-name letters {@code a..z}. New keywords are added under the
 * {@code dovecot-keywords.lock} dot-lock and published by renaming the lock file over the file, as
 * Dovecot does, so a reader sees the old or the new list, never a torn one. Keywords compare
 * case-insensitively.
 */
final class MaildirKeywords {
    static final String FILE = "dovecot-keywords";
    static final int MAX = 26;

    private final Path file;
    private final FsyncPolicy fsync;
    private String[] names = new String[MAX];
    private FileTime loadedMtime;
    private long loadedSize = -1;

    MaildirKeywords(Path folderDir, FsyncPolicy fsync) {
        this.file = folderDir.resolve(FILE);
        this.fsync = fsync;
    }

    /** Re-reads the file if it changed since the last read. */
    void refresh() throws StorageException {
        try {
            // java.io.File's stat reports a missing file as 0 instead of throwing: most folders have no
            // keywords file, and this runs on every delivery and sync.
            java.io.File plain = file.toFile();
            long modified = plain.lastModified();
            if (modified == 0 && !plain.exists()) {
                names = new String[MAX];
                loadedMtime = null;
                loadedSize = -1;
                return;
            }
            FileTime mtime = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (mtime.equals(loadedMtime) && size == loadedSize) {
                return;
            }
            String[] fresh = new String[MAX];
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    continue;
                }
                try {
                    int idx = Integer.parseInt(line.substring(0, sp));
                    if (idx >= 0 && idx < MAX) {
                        fresh[idx] = line.substring(sp + 1);
                    }
                } catch (NumberFormatException e) {
                    // A broken line loses one keyword mapping; Dovecot ignores such lines too.
                }
            }
            names = fresh;
            loadedMtime = mtime;
            loadedSize = size;
        } catch (NoSuchFileException e) {
            names = new String[MAX];
            loadedMtime = null;
            loadedSize = -1;
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Reading " + FILE + " failed: " + e.getMessage(), e);
        }
    }

    String name(int index) {
        return index >= 0 && index < MAX ? names[index] : null;
    }

    int index(String keyword) {
        for (int i = 0; i < MAX; i++) {
            if (names[i] != null && names[i].equalsIgnoreCase(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /** Makes sure each keyword has a letter while there are free ones. */
    void ensure(Collection<String> keywords) throws StorageException {
        if (keywords.isEmpty() || keywords.stream().allMatch(k -> index(k) >= 0)) {
            return;
        }
        try (DotLock lock = DotLock.acquire(file, DotLock.SHORT_STALE_MILLIS)) {
            loadedMtime = null;
            refresh();
            String[] updated = Arrays.copyOf(names, MAX);
            boolean changed = false;
            for (String k : keywords) {
                if (index(k, updated) >= 0) {
                    continue;
                }
                for (int i = 0; i < MAX; i++) {
                    if (updated[i] == null) {
                        updated[i] = k;
                        changed = true;
                        break;
                    }
                }
            }
            if (!changed) {
                return;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < MAX; i++) {
                if (updated[i] != null) {
                    sb.append(i).append(' ').append(updated[i]).append('\n');
                }
            }
            lock.replace(sb.toString().getBytes(StandardCharsets.UTF_8), fsync.enabled());
            names = updated;
            loadedMtime = null;
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Writing " + FILE + " failed: " + e.getMessage(), e);
        }
    }

    private static int index(String keyword, String[] in) {
        for (int i = 0; i < MAX; i++) {
            if (in[i] != null && in[i].equalsIgnoreCase(keyword)) {
                return i;
            }
        }
        return -1;
    }
}
