package org.mailserver.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * Looking at a Maildir folder without opening messages: listing {@code new/} and {@code cur/},
 * finding one file again after someone renamed it, and the time stamps ({@link Stamps}) that tell
 * whether anything changed since the last look. Used by {@link MaildirSync} and the mailbox views.
 */
final class MaildirScan {
    private MaildirScan() {
    }

    /** The size with CRLF line endings: every LF not preceded by CR counts one more byte. */
    static long crlfSize(Path p) throws IOException {
        long size = 0;
        int prev = -1;
        byte[] buf = new byte[65536];
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' && prev != '\r') {
                        size++;
                    }
                    prev = buf[i];
                    size++;
                }
            }
        }
        return size;
    }

    /** base name to "new/NAME" or "cur/NAME"; a name in both (mid-rename) counts once, cur/ winning. */
    static Map<String, String> scan(MaildirFolder f) throws StorageException {
        Map<String, String> out = new HashMap<>();
        list(f.newDir, "new/", out);
        list(f.cur, "cur/", out);
        return out;
    }

    private static void list(Path dir, String prefix, Map<String, String> out) throws StorageException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
                    continue;
                }
                out.put(MaildirFileName.base(name), prefix + name);
            }
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox directory is gone");
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Listing " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /** Finds a message file by base name after it was renamed by someone else; null if gone. */
    static String locate(MaildirFolder f, String base) throws StorageException {
        if (Files.exists(f.newDir.resolve(base))) {
            return "new/" + base;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.newDir, glob(base) + ":*")) {
            for (Path p : ds) {
                return "new/" + p.getFileName();
            }
        } catch (IOException e) {
            // fall through to cur/
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.cur, glob(base) + "*")) {
            for (Path p : ds) {
                if (MaildirFileName.base(p.getFileName().toString()).equals(base)) {
                    return "cur/" + p.getFileName();
                }
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Listing " + f.cur + " failed: " + e.getMessage(), e);
        }
        return null;
    }

    private static String glob(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?").replace("[", "\\[").replace("{", "\\{");
    }

    record Stamps(FileTime cur, FileTime neu, Object uidlistKey, long uidlistSize) {
        boolean equalsScanned(MaildirFolder f) {
            return cur != null && cur.equals(f.scannedCurMtime) && neu.equals(f.scannedNewMtime)
                && java.util.Objects.equals(uidlistKey, f.scannedUidlistKey) && uidlistSize == f.scannedUidlistSize;
        }

        boolean dirty() {
            long now = System.currentTimeMillis();
            return now - cur.toMillis() < MaildirSync.DIRTY_MILLIS || now - neu.toMillis() < MaildirSync.DIRTY_MILLIS;
        }

        long newestMillis() {
            return Math.max(cur.toMillis(), neu.toMillis());
        }

        /** Old enough that no change can share these time stamps, and a uidlist exists. */
        boolean trusted() {
            return !dirty() && uidlistKey != null;
        }

        MaildirIndex.Stamps toIndex() {
            return new MaildirIndex.Stamps(nanos(cur), nanos(neu), uidlistSize, String.valueOf(uidlistKey));
        }

        void remember(MaildirFolder f) {
            f.scannedCurMtime = cur;
            f.scannedNewMtime = neu;
            f.scannedUidlistKey = uidlistKey;
            f.scannedUidlistSize = uidlistSize;
        }

        private static long nanos(FileTime t) {
            return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    static Stamps stamps(MaildirFolder f) throws StorageException {
        try {
            FileTime c = Files.getLastModifiedTime(f.cur);
            FileTime n = Files.getLastModifiedTime(f.newDir);
            Object key = null;
            long size = -1;
            try {
                BasicFileAttributes a = Files.readAttributes(f.uidlist.path(), BasicFileAttributes.class);
                key = a.fileKey();
                size = a.size();
            } catch (NoSuchFileException e) {
                // no uidlist yet
            }
            return new Stamps(c, n, key, size);
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox directory is gone");
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "stat failed: " + e.getMessage(), e);
        }
    }

}
