package org.mailserver.smtp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.smtp.policy.OpenRelayCheck;
import org.mailserver.smtp.session.SessionConfig;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/** Each restriction with Postfix's semantics and reply texts, over the wire. */
@Timeout(30)
class SmtpRestrictionsTest {
    @TempDir
    Path dir;
    private TestServer server;

    private TestServer start(Map<String, String> extra) {
        server = TestServer.smtp(extra);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** EHLO, MAIL, RCPT; returns the last reply. */
    private SmtpClient.Reply attempt(String helo, String from, String to) {
        try (SmtpClient c = server.client()) {
            c.read();
            SmtpClient.Reply r = c.cmd("EHLO " + helo);
            if (r.code() != 250) {
                return r;
            }
            r = c.cmd("MAIL FROM:<" + from + ">");
            if (r.code() != 250) {
                return r;
            }
            return c.cmd("RCPT TO:<" + to + ">");
        }
    }

    @Test
    void heloChecks() {
        start(Map.of("smtpd_helo_restrictions", "reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname"));
        assertEquals("501 5.5.2 <bad_host!>: Helo command rejected: Invalid name", attempt("bad_host!", "a@example.net", "alice@example.com").last());
        assertEquals("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", attempt("localhost", "a@example.net", "alice@example.com").last());
        assertEquals(250, attempt("[192.0.2.1]", "a@example.net", "alice@example.com").code());
        assertEquals(250, attempt("mail.example.net", "a@example.net", "alice@example.com").code());
    }

    @Test
    void nonFqdnAddresses() {
        start(Map.of("smtpd_sender_restrictions", "reject_non_fqdn_sender",
            "smtpd_relay_restrictions", "reject_non_fqdn_recipient, reject_unauth_destination"));
        assertEquals("504 5.5.2 <joe>: Sender address rejected: need fully-qualified address", attempt("h.example.net", "joe", "alice@example.com").last());
        assertEquals("504 5.5.2 <alice@localdomain>: Recipient address rejected: need fully-qualified address",
            attempt("h.example.net", "a@example.net", "alice@localdomain").last());
    }

    @Test
    void unknownDomainsPermanentAndTemporary() {
        start(Map.of("smtpd_sender_restrictions", "reject_unknown_sender_domain"));
        server.dns.domains.add("known.example");
        server.dns.failing.add("flaky.example");
        assertEquals(250, attempt("h.example.net", "a@known.example", "alice@example.com").code());
        assertEquals("550 5.1.8 <a@nowhere.example>: Sender address rejected: Domain not found",
            attempt("h.example.net", "a@nowhere.example", "alice@example.com").last());
        assertEquals("450 4.1.8 <a@flaky.example>: Sender address rejected: Domain not found",
            attempt("h.example.net", "a@flaky.example", "alice@example.com").last());
    }

    @Test
    void dnsblListedClientIsRefused() {
        start(Map.of("smtpd_client_restrictions", "reject_rbl_client zen.example=127.0.0.4, reject_rbl_client bl.example"));
        server.dns.a.put("1.0.0.127.zen.example", List.of("127.0.0.2"));
        assertEquals(250, attempt("h.example.net", "a@example.net", "alice@example.com").code(), "filter does not match");
        server.dns.a.put("1.0.0.127.bl.example", List.of("127.0.0.2"));
        assertEquals("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using bl.example",
            attempt("h.example.net", "a@example.net", "alice@example.com").last());
    }

    @Test
    void accessTables() throws Exception {
        Path senders = dir.resolve("sender_access");
        Files.writeString(senders, "# comment\nspammer@example.net REJECT go away\nexample.org 450 4.7.1 try later\nfriend@example.net OK\n");
        Path clients = dir.resolve("client_access");
        Files.writeString(clients, "127.0.0 DUNNO\n");
        start(Map.of("smtpd_client_restrictions", "check_client_access hash:" + clients,
            "smtpd_sender_restrictions", "check_sender_access hash:" + senders,
            "smtpd_recipient_restrictions", "check_recipient_access inline:{ bob@example.com=reject_unauth_destination, { alice@example.com = 554 5.7.2 not today } }"));
        assertEquals("554 5.7.1 <spammer@example.net>: Sender address rejected: go away", attempt("h.example.net", "spammer@example.net", "bob@example.com").last());
        assertEquals("450 4.7.1 <x@sub.example.org>: Sender address rejected: try later", attempt("h.example.net", "x@sub.example.org", "bob@example.com").last());
        assertEquals("554 5.7.2 <alice@example.com>: Recipient address rejected: not today", attempt("h.example.net", "friend@example.net", "alice@example.com").last());
        assertEquals(250, attempt("h.example.net", "friend@example.net", "bob@example.com").code());
    }

    @Test
    void policyServiceIsAskedWithPostfixAttributes() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (ServerSocket policy = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = policy.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        StringBuilder req = new StringBuilder();
                        String line;
                        while ((line = in.readLine()) != null && !line.isEmpty()) {
                            req.append(line).append('\n');
                        }
                        requests.add(req.toString());
                        String action = req.toString().contains("sender=grey@example.net") ? "DEFER_IF_PERMIT Greylisted, try again" : "DUNNO";
                        OutputStream out = s.getOutputStream();
                        out.write(("action=" + action + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            start(Map.of("smtpd_recipient_restrictions", "check_policy_service inet:127.0.0.1:" + policy.getLocalPort()));
            assertEquals("450 4.7.1 <alice@example.com>: Recipient address rejected: Greylisted, try again",
                attempt("h.example.net", "grey@example.net", "alice@example.com").last());
            assertEquals(250, attempt("h.example.net", "ok@example.net", "alice@example.com").code());
        }
        String first = requests.get(0);
        assertTrue(first.startsWith("request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\nhelo_name=h.example.net\n"), first);
        assertTrue(first.contains("client_address=127.0.0.1\n"), first);
        assertTrue(first.contains("recipient=alice@example.com\n"), first);
    }

    @Test
    void unreachablePolicyServiceUsesTheDefaultAction() {
        start(Map.of("smtpd_recipient_restrictions", "check_policy_service inet:127.0.0.1:1", "smtpd_policy_service_timeout", "2s"));
        assertEquals("451 4.3.5 <alice@example.com>: Recipient address rejected: Server configuration problem",
            attempt("h.example.net", "a@example.net", "alice@example.com").last());
    }

    @Test
    void silentUnixPolicyServerTimesOut() throws Exception {
        Path socket = dir.resolve("policy");
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            // Accepts (the backlog does) but never answers.
            start(Map.of("smtpd_recipient_restrictions", "check_policy_service unix:" + socket, "smtpd_policy_service_timeout", "1s"));
            long t0 = System.nanoTime();
            assertEquals("451 4.3.5 <alice@example.com>: Recipient address rejected: Server configuration problem",
                attempt("h.example.net", "a@example.net", "alice@example.com").last());
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L);
        }
    }

    @Test
    void mynetworksMayRelay() {
        start(Map.of("mynetworks", "127.0.0.0/8"));
        assertEquals(250, attempt("h.example.net", "a@example.net", "someone@elsewhere.example").code());
    }

    @Test
    void deferUnauthDestinationIsTemporary() {
        start(Map.of("smtpd_relay_restrictions", "permit_mynetworks, defer_unauth_destination"));
        assertEquals("450 4.7.1 <x@elsewhere.example>: Relay access denied", attempt("h.example.net", "a@example.net", "x@elsewhere.example").last());
    }

    @Test
    void senderLoginMapsDecideOwnership() throws Exception {
        Path logins = dir.resolve("logins");
        Files.writeString(logins, "sales@example.com alice@example.com, bob@example.com\n");
        start(Map.of("smtpd_sender_login_maps", "hash:" + logins, "smtpd_sender_restrictions", "reject_sender_login_mismatch",
            "smtpd_sasl_auth_enable", "yes", "smtpd_tls_auth_only", "no"));
        assertEquals("553 5.7.1 <sales@example.com>: Sender address rejected: not logged in",
            attempt("h.example.net", "sales@example.com", "alice@example.com").last());
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO h.example.net");
            assertEquals(235, c.cmd("AUTH PLAIN " + SmtpClient.plain("bob@example.com", "hunter2")).code());
            c.cmd("MAIL FROM:<sales@example.com>");
            assertEquals(250, c.cmd("RCPT TO:<x@elsewhere.example>").code());
        }
    }

    @Test
    void unauthPipeliningIsRefusedWhenNotNegotiated() {
        start(Map.of("smtpd_data_restrictions", "reject_unauth_pipelining"));
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("HELO h.example.net"); // HELO: PIPELINING was not offered
            c.raw("MAIL FROM:<a@example.net>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\nSubject: x\r\n\r\nspam\r\n.\r\n");
            assertEquals(250, c.read().code());
            assertEquals(250, c.read().code());
            assertEquals("554 5.5.0 Error: improper use of SMTP command pipelining", c.read().last());
        }
        assertTrue(server.queue.committed.isEmpty());
        // With EHLO, pipelining is fine, but not past a command that must end the group (RFC 2920 3.1).
        try (SmtpClient c = server.client()) {
            c.read();
            c.raw("EHLO h.example.net\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n");
            SmtpClient.Reply ehlo = c.read();
            assertEquals(250, ehlo.code());
            assertEquals(250, c.read().code());
            assertEquals(250, c.read().code());
            assertEquals("554 5.5.0 Error: improper use of SMTP command pipelining", c.read().last());
        }
    }

    @Test
    void openRelayConfigurationIsRefused() {
        Map<String, String> open = TestServer.defaults();
        open.put("smtpd_relay_restrictions", "permit");
        ConfigException e = assertThrows(ConfigException.class,
            () -> OpenRelayCheck.verify(SessionConfig.from(Settings.of(open), "smtp").settings(), "main.cf"));
        assertTrue(e.getMessage().contains("open relay"), e.getMessage());
        Map<String, String> everybody = TestServer.defaults();
        everybody.put("mynetworks", "0.0.0.0/0");
        assertThrows(ConfigException.class, () -> OpenRelayCheck.verify(Settings.of(everybody), "main.cf"));
        everybody.put("smtpd_allow_open_relay", "yes");
        OpenRelayCheck.verify(Settings.of(everybody), "main.cf");
        Map<String, String> typo = TestServer.defaults();
        typo.put("smtpd_recipient_restrictions", "reject_unknown_sender_domian");
        assertThrows(ConfigException.class, () -> OpenRelayCheck.verify(Settings.of(typo), "main.cf"));
        // A listener with such settings answers 421 instead of relaying.
        start(Map.of("smtpd_relay_restrictions", "permit"));
        try (SmtpClient c = server.client()) {
            assertEquals("421 4.3.5 Server configuration problem", c.read().last());
        }
    }

    @Test
    void virtualAliasesExpandAtReceiveTime() throws Exception {
        Path virtual = dir.resolve("virtual");
        Files.writeString(virtual, "team@example.com alice@example.com, bob@example.com\n@example.net alice@example.com\n"
            + "loop1@example.com loop2@example.com\nloop2@example.com loop1@example.com\n");
        start(Map.of("virtual_alias_maps", "hash:" + virtual, "virtual_mailbox_domains", "example.com, example.net"));
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO h.example.net");
            c.cmd("MAIL FROM:<x@elsewhere.example>");
            assertEquals(250, c.cmd("RCPT TO:<team@example.com>").code());
            assertEquals(250, c.cmd("RCPT TO:<anything@example.net>").code());
            assertEquals(250, c.cmd("RCPT TO:<alice+news@example.com>").code());
            assertEquals("554 5.4.6 <loop1@example.com>: Recipient address rejected: mail forwarding loop", c.cmd("RCPT TO:<loop1@example.com>").last());
            c.cmd("DATA");
            c.raw("Subject: x\r\n\r\nx\r\n.\r\n");
            assertEquals(250, c.read().code());
        }
        var rcpts = server.queue.last().envelope().recipients();
        assertEquals(List.of("alice@example.com", "bob@example.com", "alice@example.com", "alice+news@example.com"),
            rcpts.stream().map(r -> r.address()).toList());
        assertEquals("rfc822;team@example.com", rcpts.get(0).orcpt());
        assertEquals("rfc822;anything@example.net", rcpts.get(2).orcpt());
    }
}
