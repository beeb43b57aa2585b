package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

@Timeout(30)
class SearchAndConcurrencyTest {
    ImapTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of("mail_max_userip_connections", "20"), false, true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    ImapTestClient login() throws Exception {
        ImapTestClient c = new ImapTestClient(server.port());
        c.readLine();
        c.ok("l", "LOGIN alice secret");
        return c;
    }

    static void append(ImapTestClient c, String tag, String subject, String flags) throws Exception {
        String m = "Subject: " + subject + "\r\nFrom: x@example.org\r\n\r\nbody of " + subject + "\r\n";
        c.ok(tag, "APPEND INBOX " + flags + " {" + m.length() + "+}\r\n" + m);
    }

    @Test
    void searchKeysSearchresAndSavedResultInOtherCommands() throws Exception {
        try (ImapTestClient c = login()) {
            append(c, "a1", "alpha", "(\\Seen)");
            append(c, "a2", "beta", "()");
            append(c, "a3", "gamma", "(\\Flagged $Work)");
            append(c, "a4", "delta", "(\\Seen \\Flagged)");
            c.ok("s", "SELECT INBOX");
            assertEquals("* SEARCH 3", c.ok("k2", "SEARCH FLAGGED UNSEEN").get(0));
            assertEquals("* SEARCH 2 3", c.ok("k3", "SEARCH OR NOT SEEN KEYWORD $Work").get(0));
            assertEquals("* SEARCH 1 4", c.ok("k4", "UID SEARCH NOT (UNSEEN)").get(0));
            assertEquals("* SEARCH 2 3", c.ok("k5", "SEARCH 2:3 ALL").get(0));
            assertEquals("* SEARCH 4", c.ok("k6", "SEARCH SUBJECT delta").get(0));
            assertEquals("* SEARCH 1 2 3 4", c.ok("k7", "SEARCH CHARSET UTF-8 SINCE 1-Jan-2000").get(0));
            assertTrue(c.command("k8", "SEARCH CHARSET KOI8-R ALL").get(0).startsWith("k8 NO [BADCHARSET"));
            assertTrue(c.command("k9", "SEARCH FROBNICATE").get(0).startsWith("k9 BAD"));
            assertEquals(1, c.ok("r1", "SEARCH RETURN (SAVE) FLAGGED").size(), "SAVE alone answers nothing");
            String fetched = String.join("\n", c.ok("r2", "FETCH $ (UID)"));
            assertTrue(fetched.contains("* 3 FETCH (UID 3)") && fetched.contains("* 4 FETCH (UID 4)"), fetched);
            c.ok("r3", "STORE $ +FLAGS.SILENT (\\Deleted)");
            assertEquals("* SEARCH 3 4", c.ok("r4", "SEARCH DELETED").get(0));
            assertEquals("* ESEARCH (TAG \"r5\") UID MIN 3 MAX 4 COUNT 2",
                c.ok("r5", "UID SEARCH RETURN (MIN MAX COUNT) $").get(0));
            assertEquals("* ESEARCH (TAG \"r6\") ALL 1:2", c.ok("r6", "SEARCH RETURN () UNDELETED").get(0));
            c.ok("x", "EXPUNGE");
            assertEquals(1, c.ok("r7", "FETCH $ (UID)").size(), "expunged messages leave the saved result");
        }
    }

    @Test
    void concurrentWritersAndIdleWatchersAgree() throws Exception {
        int writers = 4;
        int each = 10;
        List<ImapTestClient> watchers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ImapTestClient w = login();
            w.ok("s", "SELECT INBOX");
            w.sendLine("i IDLE");
            assertEquals("+ idling", w.readLine());
            watchers.add(w);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                done.add(pool.submit(() -> {
                    try (ImapTestClient c = login()) {
                        for (int k = 0; k < each; k++) {
                            append(c, "a" + k, "w" + id + "-" + k, "()");
                        }
                        c.ok("s", "SELECT INBOX");
                        c.ok("f", "STORE 1:* +FLAGS.SILENT (\\Seen)");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            for (ImapTestClient w : watchers) {
                int exists = 0;
                while (exists < writers * each) {
                    String l = w.readLine();
                    if (l.matches("\\* \\d+ EXISTS")) {
                        int n = Integer.parseInt(l.split(" ")[1]);
                        assertTrue(n > exists, "EXISTS must grow: " + l);
                        exists = n;
                    }
                }
                w.sendLine("DONE");
                List<String> rest = w.readUntil("i");
                assertTrue(rest.get(rest.size() - 1).startsWith("i OK"), rest.toString());
                List<String> f = w.ok("f", "FETCH 1:* (FLAGS)");
                long seen = f.stream().filter(l -> l.contains("\\Seen")).count();
                assertEquals(writers * each, seen, "every message seen by the watcher: " + f.size());
                w.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
