package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

@Timeout(20)
class LoginAndTlsTest {
    static ImapTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ImapTestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void plaintextConnectionAdvertisesStartTlsAndRefusesLogin() throws Exception {
        try (ImapTestClient c = new ImapTestClient(server.port())) {
            String greeting = c.readLine();
            assertTrue(greeting.startsWith("* OK [CAPABILITY IMAP4rev1"), greeting);
            assertTrue(greeting.contains("STARTTLS") && greeting.contains("LOGINDISABLED"), greeting);
            assertFalse(greeting.contains("AUTH=PLAIN"), greeting);
            List<String> r = c.command("a1", "LOGIN alice secret");
            assertTrue(r.get(0).startsWith("a1 NO [PRIVACYREQUIRED]"), r.toString());
            r = c.command("a2", "SELECT INBOX");
            assertTrue(r.get(0).startsWith("a2 BAD"), r.toString());
        }
    }

    @Test
    void startTlsThenLoginThenCapabilityChanges() throws Exception {
        try (ImapTestClient c = new ImapTestClient(server.port())) {
            c.readLine();
            c.ok("a1", "STARTTLS");
            c.startTls();
            List<String> caps = c.ok("a2", "CAPABILITY");
            assertTrue(caps.get(0).contains("AUTH=PLAIN") && !caps.get(0).contains("STARTTLS"), caps.toString());
            List<String> r = c.ok("a3", "LOGIN alice secret");
            assertTrue(r.get(0).contains("[CAPABILITY IMAP4rev1") && r.get(0).contains("MOVE"), r.toString());
            c.ok("a4", "SELECT INBOX");
            c.ok("a5", "LOGOUT");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsDiscarded() throws Exception {
        try (ImapTestClient c = new ImapTestClient(server.port())) {
            c.readLine();
            c.send("a1 STARTTLS\r\na2 CAPABILITY\r\na3 CAPA"); // a2, a3: injection attempts (CVE-2011-0411)
            assertTrue(c.readLine().startsWith("a1 OK"));
            c.startTls();
            List<String> r = c.ok("a4", "NOOP");
            assertEquals(1, r.size(), "nothing may answer the injected a2 or a3: " + r);
        }
    }

    @Test
    void authenticatePlainWithInitialResponseAndWithContinuation() throws Exception {
        try (ImapTestClient c = ImapTestClient.tls(implicitServer.port())) {
            c.readLine();
            String ir = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes());
            List<String> r = c.ok("a1", "AUTHENTICATE PLAIN " + ir);
            assertTrue(r.get(0).startsWith("a1 OK [CAPABILITY"), r.toString());
        }
        try (ImapTestClient c = ImapTestClient.tls(implicitServer.port())) {
            c.readLine();
            c.sendLine("a1 AUTHENTICATE PLAIN");
            assertEquals("+ ", c.readLine());
            c.sendLine(Base64.getEncoder().encodeToString("\0alice\0wrong".getBytes()));
            assertTrue(c.readLine().startsWith("a1 NO [AUTHENTICATIONFAILED]"));
            c.sendLine("a2 AUTHENTICATE PLAIN");
            assertEquals("+ ", c.readLine());
            c.sendLine("*");
            assertTrue(c.readLine().startsWith("a2 BAD"));
            c.ok("a3", "LOGIN alice secret");
        }
    }

    static ImapTestServer implicitServer;

    @BeforeAll
    static void startImplicit() throws Exception {
        implicitServer = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of("mail_max_userip_connections", "2"), true, false);
    }

    @AfterAll
    static void stopImplicit() {
        implicitServer.close();
    }

    @Test
    void userIpConnectionLimitRefusesThirdLogin() throws Exception {
        try (ImapTestClient a = ImapTestClient.tls(implicitServer.port());
             ImapTestClient b = ImapTestClient.tls(implicitServer.port());
             ImapTestClient c = ImapTestClient.tls(implicitServer.port())) {
            for (ImapTestClient x : List.of(a, b, c)) {
                x.readLine();
            }
            a.ok("a", "LOGIN bob hunter2");
            b.ok("b", "LOGIN bob hunter2");
            List<String> r = c.command("c", "LOGIN bob hunter2");
            assertTrue(r.get(0).startsWith("c NO [LIMIT]"), r.toString());
            a.ok("a2", "LOGOUT");
            assertTrue(a.closedByServer());
            Thread.sleep(100);
            c.ok("c2", "LOGIN bob hunter2");
        }
    }

    @Test
    void unknownCommandAndBadSyntaxAreBad() throws Exception {
        try (ImapTestClient c = ImapTestClient.tls(implicitServer.port())) {
            c.readLine();
            assertTrue(c.command("x1", "FROBNICATE").get(0).startsWith("x1 BAD"));
            assertTrue(c.command("x2", "LOGIN \"unterminated").get(0).startsWith("x2 BAD"));
            c.ok("x3", "NOOP");
        }
    }

    @Test
    void completeCommandsDoNotKeepAnUnauthenticatedClientForever() throws Exception {
        try (ImapTestServer quick = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, false,
                 cfg -> cfg.withLoginTimeoutMillis(200));
             ImapTestClient c = new ImapTestClient(quick.port())) {
            c.readLine();
            long t0 = System.nanoTime();
            String line = "";
            try {
                while (!line.startsWith("* BYE") && (System.nanoTime() - t0) < 3_000_000_000L) {
                    c.sendLine("n NOOP"); // within the idle timeout every time
                    line = c.readLine();
                    Thread.sleep(100);
                }
            } catch (java.io.IOException closed) {
                line = "* BYE (connection closed)";
            }
            assertTrue(line.startsWith("* BYE"), line);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 500 && ms < 2500, "cut off after " + ms + " ms, expected about 3 x 200 ms");
        }
    }

    @Test
    void loginTimeoutCutsOffADribblingClient() throws Exception {
        try (ImapTestServer quick = new ImapTestServer(new InMemoryMailStoreProvider(), Map.of(), false, false,
                 cfg -> cfg.withLoginTimeoutMillis(300));
             ImapTestClient c = new ImapTestClient(quick.port())) {
            c.readLine();
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < 4; i++) {
                    c.send("a"); // bytes that never complete a command do not extend the timeout
                    Thread.sleep(50);
                }
            } catch (java.io.IOException closedAlready) {
                // the server may already have cut us off
            }
            String bye = c.readLine();
            assertTrue(bye.startsWith("* BYE"), bye);
            assertTrue(c.closedByServer());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
        }
    }
}
