package org.mailserver.core.auth.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Safe edits: comments kept, mode kept, new file 0600, concurrent edits all land, refused edits write nothing. */
@Timeout(20)
class PasswdFileEditorTest {
    @TempDir
    Path dir;

    @Test
    void addPasswdDeleteKeepOtherLinesAndTheMode() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "# keep me\nalice@example.test:{PLAIN}a:1000:1000::/home/a::userdb_mail=maildir:~/M\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        PasswdFileEditor e = new PasswdFileEditor(f);
        e.add("bob@example.test", "{PLAIN}b", "");
        e.setPassword("alice@EXAMPLE.TEST", "{PLAIN}new");
        assertEquals("# keep me\nalice@example.test:{PLAIN}new:1000:1000::/home/a::userdb_mail=maildir:~/M\n"
            + "bob@example.test:{PLAIN}b\n", Files.readString(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        e.delete("bob@Example.Test");
        assertTrue(!e.contains("bob@example.test"));
        assertThrows(IllegalArgumentException.class, () -> e.delete("bob@example.test"));
        assertThrows(IllegalArgumentException.class, () -> e.add("alice@example.test", "{PLAIN}x", ""));
        assertThrows(IllegalArgumentException.class, () -> e.add("bad:name", "{PLAIN}x", ""));
        assertEquals(List.of("users", "users.lock"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList(),
            "no temporary files left behind");
    }

    @Test
    void newFileIsPrivate() throws Exception {
        Path f = dir.resolve("data/users");
        new PasswdFileEditor(f).add("a@example.test", "{PLAIN}a", "");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void concurrentEditsAreNotLost() throws Exception {
        Path f = dir.resolve("users");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                // Separate editor instances, as separate admin commands would be.
                all.add(pool.submit(() -> {
                    new PasswdFileEditor(f).add("u" + n + "@example.test", "{PLAIN}p", "");
                    return null;
                }));
            }
            for (Future<?> x : all) {
                x.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(40, Files.readAllLines(f).size());
    }
}
