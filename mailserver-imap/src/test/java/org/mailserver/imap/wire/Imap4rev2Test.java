package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.session.ServerResources;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/** ENABLE IMAP4rev2 (RFC 9051): no \Recent, ESEARCH answers, UTF-8 mailbox names, STATUS DELETED. */
@Timeout(20)
class Imap4rev2Test {
    ImapTestServer server;
    ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        ServerResources loaded = ServerResources.load();
        // IMAP4rev2 is offered only with a BINARY-capable renderer; pretend the MIME layer is present
        ServerResources withMime = new ServerResources(loaded.registry(), loaded.limiter(), loaded.renderer(),
            loaded.searchEvaluator(), true, loaded.mimeSearch());
        server = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, true, cfg -> cfg, withMime);
        c = new ImapTestClient(server.port());
        assertTrue(c.readLine().contains("IMAP4rev1 IMAP4rev2"));
        c.ok("l", "LOGIN alice secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void rev2Behaviour() throws Exception {
        assertEquals("* ENABLED IMAP4rev2", c.ok("e", "ENABLE IMAP4rev2").get(0));
        String m = "Subject: x\r\n\r\nbody\r\n";
        c.ok("a", "APPEND INBOX (\\Deleted) {" + m.length() + "+}\r\n" + m);
        String sel = String.join("\n", c.ok("s", "SELECT INBOX"));
        assertFalse(sel.contains("RECENT"), sel);
        assertFalse(String.join("\n", c.ok("f", "FETCH 1 FLAGS")).contains("\\Recent"));
        assertEquals("* ESEARCH (TAG \"q\") ALL 1", c.ok("q", "SEARCH ALL").get(0));
        assertEquals("* ESEARCH (TAG \"q2\") UID", c.ok("q2", "UID SEARCH UNDELETED").get(0));
        c.ok("c", "CREATE \"Köln\"");
        assertTrue(String.join("\n", c.ok("ls", "LIST \"\" K*")).contains("\"Köln\""), "UTF-8 names, not modified UTF-7");
        assertTrue(String.join("\n", c.ok("st", "STATUS INBOX (DELETED SIZE)")).contains("(DELETED 1 SIZE " + m.length() + ")"));
        String utf = "Subject: Grüße\r\n\r\nHallo\r\n";
        int n = utf.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        c.send("u APPEND INBOX UTF8 (~{" + n + "+}\r\n" + utf + ")\r\n");
        List<String> ur = c.readUntil("u");
        assertTrue(ur.get(ur.size() - 1).startsWith("u OK [APPENDUID"), ur.toString());
        List<String> re = c.ok("s2", "SELECT INBOX");
        assertEquals("* OK [CLOSED] Previous mailbox closed.", re.get(0));
    }
}
