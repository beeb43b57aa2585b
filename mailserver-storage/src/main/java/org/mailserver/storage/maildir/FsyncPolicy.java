package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Forces files and directories to disk unless {@code mail_fsync = never}. */
final class FsyncPolicy {
    private final boolean enabled;

    FsyncPolicy(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** fdatasync: the data and what is needed to read it back (size), not the time stamps. */
    void file(FileChannel ch) throws IOException {
        if (enabled) {
            ch.force(false);
        }
    }

    /** fsync of a directory makes a rename or create in it durable (Linux: open O_RDONLY and fsync). */
    void directory(Path dir) throws IOException {
        if (enabled) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    /**
     * Writes {@code data} to {@code tmp}, forces it ({@link #file}) and renames it over {@code target}:
     * a reader sees the old file or the whole new one, never a part (the uidlist and the index).
     */
    void replace(Path tmp, Path target, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.wrap(data);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            file(ch);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
