package org.mailserver.storage.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Best-effort removal of a directory tree that is already out of every name space: a deleted mailbox moved
 * aside, a half-built folder, the start-up warm-up's scratch mailbox. What cannot be removed stays for the
 * admin; nothing here throws.
 */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code dir} and everything below it, children first, ignoring what fails. */
    public static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind: harmless outside the name space
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // the tree is gone already, or unreadable, or changed under the walk (a file renamed away while
            // listed surfaces from the stream as UncheckedIOException): what was not removed stays
        }
    }
}
