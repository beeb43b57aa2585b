package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStoreProvider;

/**
 * The client of a read-write SELECT going IDLE lets the store file the mailbox's new messages into cur/ (Dovecot
 * does it inside its SELECT); SELECT alone and EXAMINE with IDLE leave them where they are. The client sees the
 * same UIDs, flags and \Recent either way.
 */
@Timeout(20)
class MaildirSettleAtIdleTest {
    @TempDir
    Path root;

    private static final String MSG = "From: a@example.org\r\nSubject: hello\r\n\r\nbody text\r\n";

    @Test
    void idleAfterSelectMovesNewToCurAndNothingElseDoes() throws Exception {
        Assumptions.assumeTrue(TestStores.maildirAvailable(), "Maildir store not on the class path");
        Settings settings = Settings.of(Map.of("mail_location", "maildir:" + root + "/%u", "mail_fsync", "never"));
        MailStoreProvider store = (MailStoreProvider) Class.forName(TestStores.MAILDIR_PROVIDER)
            .getConstructor(Settings.class).newInstance(settings);
        try (ImapTestServer server = new ImapTestServer(store, Map.of(), false, true);
             ImapTestClient c = new ImapTestClient(server.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            for (int i = 0; i < 50; i++) {
                c.sendLine("ap APPEND INBOX {" + MSG.length() + "+}");
                c.sendLine(MSG);
                c.readUntil("ap");
            }
            Path inbox = root.resolve("alice");
            assertEquals(50, count(inbox.resolve("new")), "APPEND without flags delivers into new/");

            List<String> examined = c.ok("e", "EXAMINE INBOX");
            assertTrue(String.join("\n", examined).contains("* 50 EXISTS"), examined.toString());
            idleFor(c, 300);
            assertEquals(50, count(inbox.resolve("new")), "EXAMINE is read-only: nothing is moved");

            List<String> selected = c.ok("s", "SELECT INBOX");
            assertTrue(selected.contains("* 50 RECENT"), selected.toString());
            c.ok("n", "NOOP");
            Thread.sleep(300);
            assertEquals(50, count(inbox.resolve("new")), "nothing moves while the client may still be reading");

            c.sendLine("i IDLE");
            assertEquals("+ idling", c.readLine());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count(inbox.resolve("new")) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, count(inbox.resolve("new")), "IDLE in a read-write mailbox files new/ into cur/");
            c.sendLine("DONE");
            List<String> done = c.readUntil("i");
            assertTrue(done.get(done.size() - 1).startsWith("i OK"), done.toString());
            try (Stream<Path> files = Files.list(inbox.resolve("cur"))) {
                assertTrue(files.allMatch(p -> p.getFileName().toString().endsWith(":2,")));
            }

            List<String> fetched = c.ok("f", "FETCH 1:* (UID FLAGS)");
            assertEquals(50, fetched.stream().filter(l -> l.contains("FLAGS (\\Recent)")).count(), fetched.toString());
            List<String> body = c.ok("b", "FETCH 50 BODY.PEEK[TEXT]");
            assertTrue(String.join("\n", body).contains("body text"), body.toString());
            c.ok("st", "STORE 1:10 +FLAGS (\\Seen)");
            try (Stream<Path> files = Files.list(inbox.resolve("cur"))) {
                assertEquals(10, files.filter(p -> p.getFileName().toString().endsWith(":2,S")).count());
            }
        }
    }

    private static void idleFor(ImapTestClient c, long millis) throws Exception {
        c.sendLine("i IDLE");
        assertEquals("+ idling", c.readLine());
        Thread.sleep(millis);
        c.sendLine("DONE");
        List<String> done = c.readUntil("i");
        assertTrue(done.get(done.size() - 1).startsWith("i OK"), done.toString());
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
