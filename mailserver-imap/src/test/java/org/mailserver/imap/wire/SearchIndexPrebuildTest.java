package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/**
 * SELECT of a mailbox of at least {@code imap_search_prebuild_messages} messages builds the Subject index in
 * the background; SEARCH SUBJECT must answer exactly as without it, also for mail delivered and messages
 * expunged by another session after the build.
 */
@Timeout(30)
class SearchIndexPrebuildTest {
    ImapTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(new InMemoryMailStoreProvider(),
            Map.of("mail_max_userip_connections", "20", "imap_search_prebuild_messages", "20"), false, true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ImapTestClient login() throws Exception {
        ImapTestClient c = new ImapTestClient(server.port());
        c.readLine();
        c.ok("l", "LOGIN alice secret");
        return c;
    }

    @Test
    void searchAfterTheBackgroundBuildSeesNewMailAndExpunges() throws Exception {
        try (ImapTestClient a = login(); ImapTestClient b = login()) {
            for (int i = 1; i <= 40; i++) {
                SearchAndConcurrencyTest.append(b, "a" + i, "Note " + i + (i % 10 == 3 ? " XYLOPHONE" : ""), "()");
            }
            a.ok("s1", "SELECT INBOX");
            a.ok("f", "UID FETCH 1:* (ENVELOPE)"); // the header summaries are cached now
            a.ok("s2", "EXAMINE INBOX"); // starts the build from them
            Thread.sleep(300); // 40 messages: long done (the results below hold either way)
            assertEquals("* SEARCH 3 13 23 33", a.ok("k1", "UID SEARCH SUBJECT xylophone").get(0));

            SearchAndConcurrencyTest.append(b, "late", "Late xylophone", "()");
            b.ok("bs", "SELECT INBOX");
            b.ok("bd", "UID STORE 13 +FLAGS.SILENT (\\Deleted)");
            b.ok("bx", "EXPUNGE");
            a.ok("n", "NOOP"); // a learns of both
            assertEquals("* SEARCH 3 23 33 41", a.ok("k2", "UID SEARCH SUBJECT xylophone").get(0));
            assertEquals("* SEARCH 3 23 33 41", b.ok("k3", "UID SEARCH SUBJECT XYLOPHONE").get(0));
            assertEquals("* SEARCH 41", b.ok("k4", "UID SEARCH SUBJECT \"late x\"").get(0));
            try (ImapTestClient c = login()) {
                c.ok("cs", "SELECT INBOX"); // a second build finds nothing to add
                assertEquals("* SEARCH 3 23 33 41", c.ok("k5", "UID SEARCH SUBJECT xylophone").get(0));
                assertEquals("* SEARCH 12", c.ok("k6", "UID SEARCH SUBJECT \"note 12\"").get(0));
            }
        }
    }
}
