package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/**
 * Every command with random, mostly malformed arguments: each gets a tagged answer, none is a SERVERBUG
 * (an exception the parsers should have turned into BAD), and the connection survives. Bounded and seeded.
 */
@Timeout(60)
class FuzzCommandsTest {
    static final List<String> COMMANDS = List.of("CAPABILITY", "NOOP", "ID", "ENABLE", "SELECT", "EXAMINE", "CREATE",
        "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB", "NAMESPACE", "STATUS", "APPEND",
        "GETQUOTAROOT", "GETQUOTA", "CHECK", "EXPUNGE", "UID EXPUNGE", "FETCH", "UID FETCH", "STORE", "UID STORE",
        "SEARCH", "UID SEARCH", "SORT", "UID SORT", "THREAD", "UID THREAD", "COPY", "UID COPY", "MOVE", "UID MOVE");
    static final List<String> TOKENS = List.of("1", "1:*", "*", "$", "0", "4294967296", "2,4:3", "INBOX", "\"INBOX\"",
        "Trash", "\"\"", "()", "(", ")", "(FLAGS)", "(UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From)])",
        "BODY[1.2.MIME]<0.10>", "BODY[", "BINARY[1]", "+FLAGS", "-FLAGS.SILENT", "FLAGS", "(\\Seen)", "(\\Bogus)",
        "\\Seen", "(UNCHANGEDSINCE 5)", "(CHANGEDSINCE 1 VANISHED)", "(QRESYNC (1 2))", "(CONDSTORE)", "RETURN",
        "(MIN MAX)", "(SAVE)", "CHARSET", "UTF-8", "KOI8-R", "OR", "NOT", "SUBJECT", "HEADER", "SINCE", "1-Jan-2024",
        "32-Foo-99", "LARGER", "x", "\"unterminated", "\"a\\\\b\"", "%", "*%", "(SUBSCRIBED)", "(SPECIAL-USE)",
        "(STATUS (MESSAGES))", "(MESSAGES UIDNEXT)", "(USE (\\Sent))", "REFERENCES", "(REVERSE DATE)", "{3}", "~{2}",
        "NIL", "(\"name\" \"x\")", "CONDSTORE", "QRESYNC", "UTF8=ACCEPT", "IMAP4rev2", "DEFLATE", "\"22-Nov-2026 10:00:00 +0000\"");

    @Test
    void randomArgumentsNeverCrashTheSession() throws Exception {
        Random rnd = new Random(Long.getLong("imap.fuzz.seed", 7));
        try (ImapTestServer server = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, true);
             ImapTestClient c = new ImapTestClient(server.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            String m = "Subject: fuzz\r\n\r\nbody\r\n";
            c.ok("a", "APPEND INBOX {" + m.length() + "+}\r\n" + m);
            c.ok("a2", "APPEND INBOX {" + m.length() + "+}\r\n" + m);
            for (int i = 0; i < 400; i++) {
                if (i % 50 == 0) {
                    c.ok("s" + i, "SELECT INBOX");
                }
                StringBuilder cmd = new StringBuilder(COMMANDS.get(rnd.nextInt(COMMANDS.size())));
                int n = rnd.nextInt(5);
                for (int k = 0; k < n; k++) {
                    String t = TOKENS.get(rnd.nextInt(TOKENS.size()));
                    if (t.startsWith("{") || t.startsWith("~{")) {
                        continue; // literals need a dialogue; covered elsewhere
                    }
                    cmd.append(' ').append(t);
                }
                String tag = "f" + i;
                List<String> r = c.command(tag, cmd.toString());
                String last = r.get(r.size() - 1);
                assertTrue(last.startsWith(tag + " OK") || last.startsWith(tag + " NO") || last.startsWith(tag + " BAD"),
                    cmd + " -> " + r);
                assertFalse(String.join("\n", r).contains("SERVERBUG"), cmd + " -> " + r);
            }
            c.ok("z", "NOOP");
        }
    }
}
