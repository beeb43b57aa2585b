package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

@Timeout(20)
class MailboxFlowTest {
    static final String MSG = "From: a@example.org\r\nTo: b@example.org\r\nSubject: hello\r\n\r\nbody text\r\n";
    ImapTestServer server;
    ImapTestClient c;

    /** The store under test; {@link MaildirMailboxFlowTest} runs the same tests on Maildir. */
    org.mailserver.storage.MailStoreProvider store() throws Exception {
        return new InMemoryMailStoreProvider();
    }

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(store(), Map.of(), false, true);
        c = login("alice");
    }

    ImapTestClient login(String user) throws Exception {
        ImapTestClient x = new ImapTestClient(server.port());
        x.readLine();
        x.ok("l", "LOGIN " + user + " " + (user.equals("alice") ? "secret" : "hunter2"));
        return x;
    }

    @AfterEach
    void stop() throws Exception {
        if (c != null) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    void append(ImapTestClient x, String mailbox, String flags, String msg) throws Exception {
        x.sendLine("ap APPEND " + mailbox + " " + flags + " {" + msg.length() + "}");
        assertTrue(x.readLine().startsWith("+ "));
        x.sendLine(msg);
        List<String> r = x.readUntil("ap");
        assertTrue(r.get(r.size() - 1).matches("ap OK \\[APPENDUID \\d+ \\d+\\] .*"), r.toString());
    }

    @Test
    void appendSelectFetchStoreExpunge() throws Exception {
        append(c, "INBOX", "(\\Seen)", MSG);
        c.sendLine("a2 APPEND INBOX {" + MSG.length() + "+}\r\n" + MSG); // LITERAL+
        assertTrue(c.readUntil("a2").get(0).startsWith("a2 OK [APPENDUID"));
        String sel = join(c.ok("s", "SELECT INBOX"));
        assertTrue(sel.contains("* 2 EXISTS"), sel);
        assertTrue(sel.contains("* OK [UIDVALIDITY"), sel);
        assertTrue(sel.contains("* OK [UNSEEN 2]"), sel);
        assertTrue(sel.contains("s OK [READ-WRITE]"), sel);

        String f = join(c.ok("f", "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)"));
        assertTrue(f.matches("(?s)\\* 1 FETCH \\(UID 1 FLAGS \\(\\\\Seen( \\\\Recent)?\\) RFC822.SIZE " + MSG.length() + " INTERNALDATE \"[^\"]+\"\\).*"), f);

        f = join(c.ok("f2", "UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (Subject)] BODY[])"));
        assertTrue(f.contains("BODY[HEADER.FIELDS (Subject)] {18}\r\nSubject: hello\r\n\r\n"), f);
        assertTrue(f.contains("BODY[] {" + MSG.length() + "}\r\n" + MSG), f);
        assertTrue(f.contains("FLAGS (\\Seen"), "implicit \\Seen reported: " + f);

        f = join(c.ok("f3", "FETCH 1 BODY[]<5.10>"));
        assertTrue(f.contains("BODY[]<5> {10}\r\n" + MSG.substring(5, 15)), f);

        String st = join(c.ok("st", "STORE 1 +FLAGS (\\Deleted $Important)"));
        assertTrue(st.matches("(?s)\\* 1 FETCH \\(FLAGS \\(\\\\Deleted \\\\Seen( \\\\Recent)? \\$Important\\) UID 1\\).*"), st);
        assertEquals(1, c.ok("st2", "STORE 2 -FLAGS.SILENT (\\Seen)").size());

        String ex = join(c.ok("ex", "EXPUNGE"));
        assertTrue(ex.contains("* 1 EXPUNGE"), ex);
        assertTrue(join(c.ok("n", "SEARCH ALL")).contains("* SEARCH 1"));
        assertTrue(join(c.ok("n2", "UID SEARCH UNSEEN")).contains("* SEARCH 2"));
        assertTrue(join(c.ok("n3", "SEARCH RETURN (MIN COUNT) ALL")).contains("* ESEARCH (TAG \"n3\") MIN 1 COUNT 1"));
        assertTrue(c.command("bad", "FETCH 5 FLAGS").get(0).startsWith("bad BAD"));
    }

    @Test
    void listSubscribeCreateRenameDeleteStatus() throws Exception {
        c.ok("c1", "CREATE Projects/2024/");
        c.ok("c2", "CREATE \"Sent Items\" (USE (\\Sent))");
        assertTrue(c.command("c3", "CREATE Projects/2024").get(0).startsWith("c3 NO [ALREADYEXISTS]"));
        c.ok("s1", "SUBSCRIBE Projects/2024");
        String list = join(c.ok("l1", "LIST \"\" *"));
        assertTrue(list.contains("* LIST (\\HasNoChildren) \"/\" \"INBOX\""), list);
        assertTrue(list.contains("\\HasChildren) \"/\" \"Projects\""), list);
        assertTrue(list.contains("\\Sent) \"/\" \"Sent Items\"") || list.contains("\\Sent"), list);
        String pct = join(c.ok("l2", "LIST \"\" %"));
        assertFalse(pct.contains("Projects/2024"), pct);
        String subs = join(c.ok("l3", "LIST (SUBSCRIBED) \"\" \"*\" RETURN (SPECIAL-USE)"));
        assertTrue(subs.contains("\\Subscribed) \"/\" \"Projects/2024\""), subs);
        String lsub = join(c.ok("l4", "LSUB \"\" *"));
        assertTrue(lsub.contains("* LSUB () \"/\" \"Projects/2024\""), lsub);
        String lsubPct = join(c.ok("l4b", "LSUB \"\" \"Proj%\""));
        assertTrue(lsubPct.contains("* LSUB (\\Noselect) \"/\" \"Projects\""), lsubPct);
        assertTrue(join(c.ok("l5", "LIST \"\" \"\"")).contains("* LIST (\\Noselect) \"/\" \"\""));
        String ls = join(c.ok("l6", "LIST \"\" \"INBOX\" RETURN (STATUS (MESSAGES UIDNEXT))"));
        assertTrue(ls.contains("* STATUS \"INBOX\" (MESSAGES 0 UIDNEXT 1)"), ls);

        c.ok("r1", "RENAME Projects/2024 Done2024");
        list = join(c.ok("l7", "LIST \"\" *"));
        assertTrue(list.contains("\"Done2024\"") && !list.contains("\"Projects/2024"), list);
        assertTrue(c.command("r2", "RENAME Done2024 Trash").get(0).startsWith("r2 NO [ALREADYEXISTS]"));
        c.ok("d1", "DELETE Done2024");
        assertTrue(c.command("d2", "DELETE INBOX").get(0).startsWith("d2 NO"));
        assertTrue(c.command("d3", "SELECT Nope").get(0).startsWith("d3 NO [NONEXISTENT]"));
        append(c, "INBOX", "()", MSG);
        String status = join(c.ok("st", "STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY HIGHESTMODSEQ SIZE)"));
        assertTrue(status.matches("(?s)\\* STATUS \"INBOX\" \\(MESSAGES 1 UNSEEN 1 UIDNEXT 2 UIDVALIDITY \\d+ HIGHESTMODSEQ \\d+ SIZE " + MSG.length() + "\\).*"), status);
        c.ok("u", "CREATE \"K&APY-ln\""); // modified UTF-7 for "Köln"
        assertTrue(join(c.ok("l8", "LIST \"\" K*")).contains("\"K&APY-ln\""));
        String ns = join(c.ok("ns", "NAMESPACE"));
        assertTrue(ns.contains("* NAMESPACE ((\"\" \"/\")) NIL NIL"), ns);
        String q = join(c.ok("q", "GETQUOTAROOT INBOX"));
        assertTrue(q.contains("* QUOTAROOT \"INBOX\" \"\""), q);
    }

    @Test
    void copyAndMoveReportUidPlusData() throws Exception {
        append(c, "INBOX", "()", MSG);
        append(c, "INBOX", "()", MSG);
        c.ok("c", "CREATE Trash2");
        c.ok("s", "SELECT INBOX");
        String copy = join(c.ok("cp", "COPY 1:2 Trash2"));
        assertTrue(copy.matches("(?s).*cp OK \\[COPYUID \\d+ 1:2 1:2\\] .*"), copy);
        assertTrue(c.command("cp2", "COPY 1 Missing").get(0).startsWith("cp2 NO [TRYCREATE]"));
        String move = join(c.ok("mv", "UID MOVE 2 Trash2"));
        assertTrue(move.matches("(?s)\\* OK \\[COPYUID \\d+ 2 3\\] .*\\* 2 EXPUNGE.*mv OK.*"), move);
        assertTrue(join(c.ok("st", "STATUS Trash2 (MESSAGES)")).contains("MESSAGES 3"));
    }

    @Test
    void otherSessionSeesChangesAtAllowedPointsAndIdleIsPrompt() throws Exception {
        append(c, "INBOX", "()", MSG);
        c.ok("s", "SELECT INBOX");
        try (ImapTestClient other = login("alice")) {
            other.ok("s", "SELECT INBOX");
            // FETCH by sequence number must not report the expunge (RFC 3501 7.4.1)
            c.ok("st", "STORE 1 +FLAGS.SILENT (\\Deleted)");
            append(c, "INBOX", "()", MSG);
            c.ok("ex", "EXPUNGE");
            String f = join(other.ok("f", "FETCH 1 FLAGS"));
            assertFalse(f.contains("EXPUNGE"), f);
            assertTrue(f.contains("* 2 EXISTS"), f);
            String noop = join(other.ok("n", "NOOP"));
            assertTrue(noop.contains("* 1 EXPUNGE"), noop);

            other.sendLine("i IDLE");
            assertEquals("+ idling", other.readLine());
            long t0 = System.nanoTime();
            append(c, "INBOX", "()", MSG);
            String exists = other.readLine();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("* 2 EXISTS", exists);
            System.out.println("imap: IDLE notification after " + ms + " ms (target < 100 ms on loopback)");
            assertTrue(ms < 1000, "IDLE notification took " + ms + " ms");
            c.ok("fl", "STORE 1 +FLAGS (\\Flagged)");
            assertTrue(other.readLine().matches("\\* 1 FETCH \\(FLAGS \\(\\\\Flagged\\) UID \\d+\\)"));
            other.sendLine("DONE");
            assertTrue(other.readLine().startsWith("i OK"));
        }
    }

    @Test
    void condstoreAndQresync() throws Exception {
        append(c, "INBOX", "()", MSG);
        append(c, "INBOX", "()", MSG);
        append(c, "INBOX", "()", MSG);
        c.ok("e", "ENABLE QRESYNC");
        String sel = join(c.ok("s", "SELECT INBOX"));
        long validity = Long.parseLong(sel.replaceAll("(?s).*UIDVALIDITY (\\d+).*", "$1"));
        long modseq = Long.parseLong(sel.replaceAll("(?s).*HIGHESTMODSEQ (\\d+).*", "$1"));
        c.ok("st", "UID STORE 2 +FLAGS.SILENT (\\Deleted)");
        c.ok("x", "UID EXPUNGE 2");
        c.ok("st2", "UID STORE 3 +FLAGS (\\Answered)");
        String cond = join(c.command("cs", "UID STORE 1,3 (UNCHANGEDSINCE " + modseq + ") +FLAGS (\\Flagged)"));
        assertTrue(cond.contains("cs OK [MODIFIED 3]"), cond);
        c.ok("u", "UNSELECT");
        String re = join(c.ok("s2", "SELECT INBOX (QRESYNC (" + validity + " " + modseq + " 1:3))"));
        assertTrue(re.contains("* VANISHED (EARLIER) 2"), re);
        assertTrue(re.matches("(?s).*\\* 2 FETCH \\(UID 3 FLAGS \\(\\\\Answered\\) MODSEQ \\(\\d+\\)\\).*"), re);
        String changed = join(c.ok("f", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + " VANISHED)"));
        assertTrue(changed.contains("* VANISHED (EARLIER) 2"), changed);
        assertTrue(changed.contains("UID 3") && changed.contains("MODSEQ"), changed);
        assertTrue(changed.contains("UID 1 FLAGS (\\Flagged)"), "changed by the conditional STORE: " + changed);
    }

    @Test
    void literalsSplitAcrossPacketsAndPipelinedBehindThem() throws Exception {
        byte[] all = ("x1 APPEND INBOX (\\Flagged) {" + MSG.length() + "+}\r\n" + MSG + "\r\nx2 SELECT INBOX\r\n"
            + "x3 FETCH 1 (FLAGS BODY.PEEK[TEXT])\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < all.length; i += 7) {
            c.sendBytes(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 7)));
            Thread.sleep(2);
        }
        String r = join(c.readUntil("x3"));
        assertTrue(r.contains("x1 OK [APPENDUID") && r.contains("x2 OK [READ-WRITE]"), r);
        assertTrue(r.contains("BODY[TEXT] {11}\r\nbody text\r\n"), r);
        assertTrue(r.contains("FLAGS (\\Flagged"), r);
        // a synchronising literal in pieces: the decoder frames the whole command before the state check answers
        c.sendLine("y1 LOGIN {5}");
        assertEquals("+ Ready for literal data", c.readLine());
        c.send("al");
        Thread.sleep(5);
        c.send("ice pw\r\n");
        assertTrue(c.readLine().startsWith("y1 BAD Error in IMAP command LOGIN: Already logged in."));
    }

    @Test
    void mailboxNamesCannotEscapeTheUsersStore() throws Exception {
        for (String name : java.util.List.of("../bob", "INBOX/../../bob", "/etc", "a//b", "..")) {
            String r = c.command("n", "CREATE \"" + name + "\"").get(0);
            assertTrue(r.startsWith("n NO"), name + ": " + r);
            r = c.command("m", "SELECT \"" + name + "\"").get(0);
            assertTrue(r.startsWith("m NO"), name + ": " + r);
        }
        try (ImapTestClient bob = login("bob")) {
            append(bob, "INBOX", "()", MSG);
        }
        assertEquals("* STATUS \"INBOX\" (MESSAGES 0)", c.ok("s", "STATUS INBOX (MESSAGES)").get(0), "alice does not see bob's mail");
    }

    @Test
    void pipelinedCommandsAnswerInOrder() throws Exception {
        c.send("p1 NOOP\r\np2 CREATE Box\r\np3 SELECT Box\r\np4 FETCH 1:* FLAGS\r\np5 UNSELECT\r\np6 CAPABILITY\r\n");
        List<String> r = c.readUntil("p6");
        List<String> tags = r.stream().filter(l -> !l.startsWith("*")).map(l -> l.substring(0, 2)).toList();
        assertEquals(List.of("p1", "p2", "p3", "p4", "p5", "p6"), tags, r.toString());
    }

    @Test
    void hugeLiteralIsRefusedWithoutReading() throws Exception {
        List<String> r = c.command("h", "APPEND INBOX {2000000000}");
        assertTrue(r.get(0).startsWith("h NO [TOOBIG]"), r.toString());
        c.ok("n", "NOOP");
        c.sendLine("h2 APPEND INBOX {2000000000+}");
        String bad = c.readLine();
        assertTrue(bad.startsWith("h2 NO [TOOBIG]"), bad); // after login: APPENDLIMIT applies
        assertTrue(c.readLine().startsWith("* BYE"));
        assertTrue(c.closedByServer());
    }
}
