package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/**
 * What FETCH, STORE and SELECT answer now that they look messages up by UID and SELECT takes FLAGS and UNSEEN
 * from the store's running figures: sets with overlapping and unordered ranges, UIDs that are gone, sequence
 * numbers after an expunge, keywords appearing in and leaving FLAGS, and UNSEEN following STORE. Runs on the
 * in-memory store; {@link MaildirMessageSetsOnTheWireTest} runs it on Maildir.
 */
@Timeout(20)
class MessageSetsOnTheWireTest {
    private static final String MSG = "From: a@example.org\r\nSubject: s\r\n\r\nline\r\n";
    private ImapTestServer server;
    private ImapTestClient c;

    org.mailserver.storage.MailStoreProvider store() throws Exception {
        return new InMemoryMailStoreProvider();
    }

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(store(), Map.of(), false, true);
        c = new ImapTestClient(server.port());
        c.readLine();
        c.ok("l", "LOGIN alice secret");
        for (int i = 1; i <= 6; i++) {
            c.sendLine("a" + i + " APPEND INBOX {" + MSG.length() + "+}\r\n" + MSG);
            assertTrue(c.readUntil("a" + i).get(0).startsWith("a" + i + " OK"));
        }
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    /** The (seq, uid) pairs of the untagged FETCH responses, in the order sent. */
    private static List<String> fetched(List<String> lines) {
        Pattern p = Pattern.compile("^\\* (\\d+) FETCH \\(.*UID (\\d+).*");
        return lines.stream().map(p::matcher).filter(Matcher::matches).map(m -> m.group(1) + "/" + m.group(2)).toList();
    }

    private String select() throws Exception {
        return String.join("\n", c.ok("s", "SELECT INBOX"));
    }

    @Test
    void fetchAndStoreByUidAndSequenceSetsOnAMailboxWithHoles() throws Exception {
        select();
        c.ok("d", "UID STORE 2,4 +FLAGS.SILENT (\\Deleted)");
        c.ok("e", "EXPUNGE"); // UIDs 1 3 5 6 remain, as sequence numbers 1 2 3 4
        assertEquals(List.of("1/1", "2/3", "3/5", "4/6"), fetched(c.ok("f1", "UID FETCH 1:* (UID FLAGS)")));
        assertEquals(List.of("2/3", "4/6"), fetched(c.ok("f2", "UID FETCH 6,2:3,3,4 (UID)")), "each once, ascending; 2 and 4 gone");
        assertEquals(List.of("4/6"), fetched(c.ok("f3", "UID FETCH 100:* (UID)")), "n:* names the largest UID");
        assertEquals(List.of(), fetched(c.ok("f4", "UID FETCH 2 (UID)")), "an expunged UID is ignored");
        assertEquals(List.of("1/1", "3/5", "4/6"), fetched(c.ok("f5", "FETCH 4,1,3:4 (UID)")));
        assertEquals(List.of("4/6"), fetched(c.ok("f6", "FETCH * (UID)")));
        assertTrue(c.command("f7", "FETCH 5 (UID)").get(0).startsWith("f7 BAD"), "beyond EXISTS");
        List<String> body = c.ok("f8", "UID FETCH 5 (BODY.PEEK[])");
        assertTrue(String.join("\n", body).contains("BODY[] {" + MSG.length() + "}"), body.toString());
        List<String> stored = c.ok("st", "STORE 2:3 +FLAGS (\\Flagged)");
        assertEquals(List.of("2/3", "3/5"), stored.stream()
            .map(l -> l.replaceAll("^\\* (\\d+) FETCH \\(FLAGS \\(.*\\) UID (\\d+)\\)$", "$1/$2")).filter(l -> !l.startsWith("st ")).toList());
    }

    @Test
    void selectReportsKeywordsInUseAndTheFirstUnseenAsTheyChange() throws Exception {
        String sel = select();
        assertTrue(sel.contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"), sel);
        assertTrue(sel.contains("* OK [UNSEEN 1]"), sel);
        c.ok("k", "UID STORE 2 +FLAGS ($Work Junk)");
        c.ok("r", "UID STORE 1:3 +FLAGS (\\Seen)");
        sel = select();
        assertTrue(sel.contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work Junk)"), sel);
        assertTrue(sel.contains("\\Draft $Work Junk \\*)] Flags permitted."), sel);
        assertTrue(sel.contains("* OK [UNSEEN 4]"), sel);
        c.ok("k2", "UID STORE 2 -FLAGS ($Work)");
        c.ok("d", "UID STORE 4 +FLAGS.SILENT (\\Deleted)");
        c.ok("e", "EXPUNGE");
        sel = select();
        assertTrue(sel.contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Junk)"), sel);
        assertTrue(sel.contains("* 5 EXISTS"), sel);
        assertTrue(sel.contains("* OK [UNSEEN 4]"), sel + " (UID 5 is the fourth message now)");
        c.ok("r2", "STORE 1:* +FLAGS (\\Seen)");
        sel = select();
        assertFalse(sel.contains("UNSEEN"), sel);
        sel = String.join("\n", c.ok("x", "EXAMINE INBOX"));
        assertTrue(sel.contains("* 5 EXISTS") && sel.contains("Junk"), sel);
    }
}
