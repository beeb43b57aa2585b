package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

@Timeout(20)
class CompressAndLimitsTest {
    static ImapTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of("imap_max_line_length", "2000",
            "message_size_limit", "100000"), false, true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ImapTestClient login() throws Exception {
        ImapTestClient c = new ImapTestClient(server.port());
        c.readLine();
        c.ok("l", "LOGIN alice secret");
        return c;
    }

    @Test
    void compressDeflateCarriesTheRestOfTheSession() throws Exception {
        try (ImapTestClient c = login()) {
            assertTrue(c.ok("c1", "CAPABILITY").get(0).contains("COMPRESS=DEFLATE"));
            c.ok("z", "COMPRESS DEFLATE");
            c.startCompression();
            List<String> caps = c.ok("c2", "CAPABILITY");
            assertFalse(caps.get(0).contains("COMPRESS=DEFLATE"), "no second COMPRESS offered");
            c.ok("s", "SELECT INBOX");
            assertTrue(c.command("z2", "COMPRESS DEFLATE").get(0).startsWith("z2 NO [COMPRESSIONACTIVE]"));
            c.ok("o", "LOGOUT");
        }
    }

    @Test
    void appendLimitIsAdvertisedAndEnforced() throws Exception {
        try (ImapTestClient c = login()) {
            assertTrue(c.ok("c", "CAPABILITY").get(0).contains("APPENDLIMIT=100000"));
            assertTrue(c.command("a", "APPEND INBOX {100001}").get(0).startsWith("a NO [TOOBIG]"));
            assertTrue(c.command("b", "NOOP " + "x".repeat(3000)).get(0).startsWith("b BAD"), "line limit");
            assertTrue(c.command("d", "LOGIN {3000}").get(0).startsWith("d BAD"), "non-APPEND literals stay small");
            c.ok("e", "NOOP");
        }
    }

    @Test
    void idleSendsKeepalivesUntilDone() throws Exception {
        try (ImapTestServer quick = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, true,
                 cfg -> cfg.withIdleNotifyMillis(1000));
             ImapTestClient c = new ImapTestClient(quick.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            c.ok("s", "SELECT INBOX");
            c.sendLine("i IDLE");
            assertEquals("+ idling", c.readLine());
            assertEquals("* OK Still here", c.readLine());
            c.sendLine("DONE");
            assertTrue(c.readLine().startsWith("i OK"));
        }
    }

    @Test
    void authenticateInTheClearIsRefusedWhenNoMechanismIsAllowed() throws Exception {
        try (ImapTestServer strict = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, false);
             ImapTestClient c = new ImapTestClient(strict.port())) {
            c.readLine();
            assertTrue(c.command("a", "AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==").get(0).startsWith("a NO [PRIVACYREQUIRED]"));
        }
    }

    @Test
    void bigFetchWaitsForASlowReaderAndCompletes() throws Exception {
        InMemoryMailStoreProvider provider = new InMemoryMailStoreProvider();
        try (ImapTestServer big = new ImapTestServer(provider, Map.of(), false, true);
             ImapTestClient c = new ImapTestClient(big.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            String body = "x".repeat(60_000);
            String m = "Subject: big\r\n\r\n" + body + "\r\n";
            for (int i = 0; i < 40; i++) {
                c.ok("a" + i, "APPEND INBOX {" + m.length() + "+}\r\n" + m);
            }
            c.ok("s", "SELECT INBOX");
            c.sendLine("f FETCH 1:* BODY.PEEK[]"); // 2.4 MB: far above the outbound high water mark
            Thread.sleep(500); // not reading: the server must wait, not fail
            List<String> r = c.readUntil("f");
            assertEquals(41, r.size());
            assertTrue(r.get(40).startsWith("f OK"), r.get(40));
            assertTrue(r.get(39).contains(body));
        }
    }

    @Test
    void commandsInTheWrongStateAreBad() throws Exception {
        try (ImapTestClient c = new ImapTestClient(server.port())) {
            c.readLine();
            assertTrue(c.command("a", "FETCH 1 FLAGS").get(0).startsWith("a BAD"));
            c.ok("l", "LOGIN alice secret");
            assertTrue(c.command("b", "LOGIN alice secret").get(0).startsWith("b BAD"));
            assertTrue(c.command("c", "EXPUNGE").get(0).startsWith("c BAD"));
            c.ok("e", "EXAMINE INBOX");
            assertTrue(c.command("f", "STORE 1:* +FLAGS (\\Seen)").get(0).startsWith("f "));
            assertTrue(c.command("g", "EXPUNGE").get(0).startsWith("g NO [READ-ONLY]"));
        }
    }
}
