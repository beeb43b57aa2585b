package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.*;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.delivery.RecipientResult;

/**
 * Outbound delivery end to end: the queue manager, the SMTP agent, a loopback DNS server, GreenMail
 * as a remote MX and scripted peers (refusing greetings, 4xx then 5xx, STARTTLS, AUTH).
 */
@Timeout(60)
class OutboundDeliveryTest {
    @TempDir
    Path dir;
    TestDnsServer dns;
    final Map<InetAddress, Integer> ports = new HashMap<>();
    OutboundHarness h;
    GreenMail greenMail;
    final java.util.List<AutoCloseable> closeables = new java.util.ArrayList<>();

    @BeforeEach
    void dns() throws Exception {
        dns = new TestDnsServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        dns.close();
    }

    void harness(Map<String, String> extra) throws Exception {
        h = new OutboundHarness(dir, dns, ports, extra);
    }

    ScriptedSmtpServer scripted(String ip, TestCerts certs) throws Exception {
        ScriptedSmtpServer s = new ScriptedSmtpServer(ip, 0, certs);
        ports.put(InetAddress.getByName(ip), s.port());
        closeables.add(s);
        return s;
    }

    GreenMail greenMail(String ip) throws Exception {
        greenMail = new GreenMail(new ServerSetup(0, ip, ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        ports.put(InetAddress.getByName(ip), greenMail.getSmtp().getPort());
        return greenMail;
    }

    static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    static String text(BodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void lowestPreferenceFirstAndFallThroughOnARefusingGreeting() throws Exception {
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test")
            .a("mx1.example.test", "127.0.0.2").a("mx2.example.test", "127.0.0.3");
        ScriptedSmtpServer mx1 = scripted("127.0.0.2", null);
        mx1.greeting = "421 4.3.2 Service not available";
        greenMail("127.0.0.3");
        // No connection cache here: it would (rightly) reuse the open session to mx2 for the second message.
        harness(Map.of("smtp_connection_cache_time_limit", "0"));
        String id = h.send("alice@local.test", "bob@example.test", null, null);
        OutboundHarness.await(() -> h.gone(id), "delivery");
        assertEquals(1, mx1.connections.get(), "the preferred MX was tried first");
        assertEquals(1, greenMail.getReceivedMessages().length);
        MimeMessage got = greenMail.getReceivedMessages()[0];
        assertEquals("outbound test", got.getSubject());
        assertTrue(text(wrap(got)).contains(".leading dot"), "dot-stuffing undone by the receiver");
        assertTrue(h.last("bob@example.test").relay().startsWith("mx2.example.test[127.0.0.3]:"));

        // Once the preferred MX answers, it gets the mail.
        mx1.greeting = "220 mx1 ESMTP";
        String id2 = h.send("alice@local.test", "bob@example.test", null, null);
        OutboundHarness.await(() -> h.gone(id2), "second delivery");
        assertEquals(1, mx1.messages.size());
        assertEquals(1, greenMail.getReceivedMessages().length);
        assertTrue(h.local.isEmpty(), "no bounce");
    }

    private static BodyPart wrap(MimeMessage m) throws Exception {
        jakarta.mail.internet.MimeBodyPart p = new jakarta.mail.internet.MimeBodyPart();
        p.setText((String) m.getContent());
        return p;
    }

    @Test
    void implicitMxUsesTheAddressRecordAndNullMxBouncesAtOnce() throws Exception {
        dns.a("plain.test", "127.0.0.3").nullMx("nomail.test");
        greenMail("127.0.0.3");
        harness(Map.of());
        String a = h.send("alice@local.test", "carol@plain.test", null, null);
        String b = h.send("alice@local.test", "dave@nomail.test", null, null);
        OutboundHarness.await(() -> h.gone(a) && h.gone(b) && h.local.size() == 1, "delivery and bounce");
        assertEquals(1, greenMail.getReceivedMessages().length);
        assertEquals("5.1.10", h.last("dave@nomail.test").dsn());
        MimeMessage dsn = parse(h.local.get(0).getValue());
        assertEquals("", h.local.get(0).getKey(), "bounces have the null sender");
        assertTrue(dsn.isMimeType("multipart/report"));
        assertTrue(text(((Multipart) dsn.getContent()).getBodyPart(1)).contains("Status: 5.1.10"));
    }

    @Test
    void deferredOn4xxThenBouncedOn5xxWithAnRfc3464Report() throws Exception {
        dns.mx("remote.test", 10, "mx4.remote.test").a("mx4.remote.test", "127.0.0.4");
        ScriptedSmtpServer mx = scripted("127.0.0.4", null);
        mx.rcptReply = (rcpt, n) -> n == 1 ? "451 4.3.0 Try again later"
            : "550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown";
        harness(Map.of());
        String id = h.send("alice@local.test", "nobody@remote.test", null, "rfc822;nobody@remote.test");
        OutboundHarness.await(() -> h.results.getOrDefault("nobody@remote.test", java.util.List.of()).size() == 1, "first attempt");
        assertEquals(RecipientResult.Status.DEFERRED, h.last("nobody@remote.test").status());
        OutboundHarness.await(() -> h.gone(id) && h.local.size() == 1, "bounce");
        assertEquals(2, mx.lines.stream().filter(l -> l.startsWith("RCPT TO:<nobody@remote.test>")).count());
        assertTrue(mx.connections.get() <= 2, "the cached connection may serve the retry");
        assertTrue(mx.lines.stream().anyMatch(l -> l.startsWith("RCPT TO:<nobody@remote.test> ORCPT=rfc822;nobody@remote.test")),
            "DSN parameters passed through: " + mx.lines);
        assertTrue(mx.lines.stream().anyMatch(l -> l.contains("ENVID=ENV-7") && l.contains("BODY=8BITMIME")), mx.lines.toString());

        MimeMessage dsn = parse(h.local.get(0).getValue());
        assertTrue(dsn.isMimeType("multipart/report"));
        assertTrue(dsn.getContentType().contains("report-type=delivery-status"));
        assertEquals("MAILER-DAEMON@mx.local.test (Mail Delivery System)", dsn.getHeader("From", null));
        assertEquals("auto-replied", dsn.getHeader("Auto-Submitted", null));
        Multipart parts = (Multipart) dsn.getContent();
        assertEquals(3, parts.getCount());
        assertTrue(parts.getBodyPart(1).isMimeType("message/delivery-status"));
        String status = text(parts.getBodyPart(1));
        assertTrue(status.contains("Reporting-MTA: dns; mx.local.test"), status);
        assertTrue(status.contains("Original-Envelope-Id: ENV-7"), status);
        assertTrue(status.contains("Final-Recipient: rfc822; nobody@remote.test"), status);
        assertTrue(status.contains("Original-Recipient: rfc822; nobody@remote.test"), status);
        assertTrue(status.contains("Action: failed"), status);
        assertTrue(status.contains("Status: 5.1.1"), status);
        assertTrue(status.contains("Remote-MTA: dns; mx4.remote.test"), status);
        assertTrue(status.contains("Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.test>"), status);
        assertTrue(parts.getBodyPart(2).isMimeType("message/rfc822"));
        MimeMessage original = (MimeMessage) parts.getBodyPart(2).getContent();
        assertEquals("outbound test", original.getSubject());
    }

    @Test
    void bounceOfABounceIsNeverSent() throws Exception {
        dns.mx("remote.test", 10, "mx4.remote.test").a("mx4.remote.test", "127.0.0.4");
        ScriptedSmtpServer mx = scripted("127.0.0.4", null);
        mx.rcptReply = (rcpt, n) -> "550 5.1.1 User unknown";
        harness(Map.of());
        String id = h.send("", "nobody@remote.test", null, null);
        OutboundHarness.await(() -> h.gone(id), "removal");
        Thread.sleep(300);
        assertTrue(h.local.isEmpty());
        assertEquals(1, mx.connections.get());
    }

    @Test
    void tlsOutcomesAndAVerifyFailureDefers() throws Exception {
        TestCerts certs = new TestCerts("mx5.tls.test");
        dns.mx("may.test", 10, "mx5.tls.test").a("mx5.tls.test", "127.0.0.5")
            .mx("mismatch.test", 10, "other.tls.test").a("other.tls.test", "127.0.0.5")
            .mx("strict.test", 10, "other.tls.test");
        ScriptedSmtpServer mx = scripted("127.0.0.5", certs);
        harness(Map.of("smtp_tls_CAfile", certs.writePem(dir).toString(),
            "smtp_tls_policy_maps", "inline:{strict.test=verify}"));
        String a = h.send("alice@local.test", "u@may.test", null, null);
        String b = h.send("alice@local.test", "u@mismatch.test", null, null);
        String c = h.send("alice@local.test", "u@strict.test", null, null);
        OutboundHarness.await(() -> h.gone(a) && h.gone(b) && h.last("u@strict.test") != null, "attempts");
        assertEquals("Verified", h.last("u@may.test").tls());
        assertEquals("Trusted", h.last("u@mismatch.test").tls(), "chain trusted, name not matched");
        RecipientResult strict = h.last("u@strict.test");
        assertEquals(RecipientResult.Status.DEFERRED, strict.status());
        assertEquals("4.7.5", strict.dsn());
        assertTrue(strict.reply().contains("not verified"), strict.reply());
        assertFalse(h.gone(c));
        assertEquals(2, mx.messages.size());
        assertTrue(mx.lines.contains("STARTTLS"));
    }

    @Test
    void untrustedCertificateIsFineForMay() throws Exception {
        TestCerts certs = new TestCerts("mx5.tls.test");
        dns.mx("may.test", 10, "mx5.tls.test").a("mx5.tls.test", "127.0.0.5");
        scripted("127.0.0.5", certs);
        harness(Map.of());
        String a = h.send("alice@local.test", "u@may.test", null, null);
        OutboundHarness.await(() -> h.gone(a), "delivery");
        assertEquals("Untrusted", h.last("u@may.test").tls());
    }

    @Test
    void relayhostWithSaslAuthAndNoMxLookup() throws Exception {
        ScriptedSmtpServer relay = scripted("127.0.0.6", null);
        relay.extensions.add("AUTH PLAIN LOGIN");
        String hop = "[127.0.0.6]:" + relay.port();
        harness(Map.of("relayhost", hop, "smtp_sasl_auth_enable", "yes",
            "smtp_sasl_password_maps", "inline:{" + hop + "=relayuser:s3cret}", "smtp_sasl_security_options", "noanonymous"));
        String id = h.send("alice@local.test", "someone@not-in-dns.test", null, null);
        OutboundHarness.await(() -> h.gone(id), "relay");
        assertEquals(java.util.List.of("|relayuser|s3cret"), relay.auth);
        assertEquals(1, relay.messages.size());
        assertTrue(h.local.isEmpty());
    }

    @Test
    void saslIsNotSentInPlaintextByDefault() throws Exception {
        ScriptedSmtpServer relay = scripted("127.0.0.6", null);
        relay.extensions.add("AUTH PLAIN");
        String hop = "[127.0.0.6]:" + relay.port();
        harness(Map.of("relayhost", hop, "smtp_sasl_auth_enable", "yes",
            "smtp_sasl_password_maps", "inline:{" + hop + "=relayuser:s3cret}"));
        String id = h.send("alice@local.test", "someone@not-in-dns.test", null, null);
        OutboundHarness.await(() -> h.last("someone@not-in-dns.test") != null, "attempt");
        assertEquals(RecipientResult.Status.DEFERRED, h.last("someone@not-in-dns.test").status());
        assertTrue(relay.auth.isEmpty());
        assertFalse(h.gone(id));
    }

    @Test
    void dnsFailuresAndSizeAndTransportMaps() throws Exception {
        dns.servfail("broken.test").mx("small.test", 10, "mx7.small.test").a("mx7.small.test", "127.0.0.7");
        ScriptedSmtpServer small = scripted("127.0.0.7", null);
        small.extensions.remove("SIZE 10000000");
        small.extensions.add("SIZE 20");
        ScriptedSmtpServer routed = scripted("127.0.0.8", null);
        harness(Map.of("transport_maps", "inline:{routed.test=smtp:[127.0.0.8]:" + routed.port()
            + ", { refused.test = error:5.7.1 we do not send there } }"));
        String a = h.send("alice@local.test", "x@broken.test", null, null);
        String b = h.send("alice@local.test", "x@small.test", null, null);
        String c = h.send("alice@local.test", "x@routed.test", null, null);
        String d = h.send("alice@local.test", "x@nxdomain.test", null, null);
        String e = h.send("alice@local.test", "x@refused.test", null, null);
        OutboundHarness.await(() -> h.last("x@broken.test") != null && h.gone(b) && h.gone(c) && h.gone(d) && h.gone(e), "attempts");
        assertEquals("4.4.3", h.last("x@broken.test").dsn());
        assertEquals(RecipientResult.Status.DEFERRED, h.last("x@broken.test").status());
        assertFalse(h.gone(a));
        assertEquals("5.3.4", h.last("x@small.test").dsn());
        assertTrue(small.lines.stream().noneMatch(l -> l.startsWith("MAIL")), "too big: refused before MAIL");
        assertEquals(1, routed.messages.size());
        assertEquals("5.1.2", h.last("x@nxdomain.test").dsn());
        OutboundHarness.await(() -> h.local.size() == 3, "three bounces");
    }

    @Test
    void ipv6AddressesFirstThenIpv4() throws Exception {
        ScriptedSmtpServer v6;
        try {
            v6 = scripted("::1", null);
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        v6.greeting = "421 4.3.2 v6 side busy";
        ScriptedSmtpServer v4 = scripted("127.0.0.9", null);
        dns.mx("dual.test", 10, "mx.dual.test").aaaa("mx.dual.test", "::1").a("mx.dual.test", "127.0.0.9");
        harness(Map.of());
        String id = h.send("alice@local.test", "u@dual.test", null, null);
        OutboundHarness.await(() -> h.gone(id), "delivery");
        assertEquals(1, v6.connections.get(), "IPv6 tried first");
        assertEquals(1, v4.messages.size(), "then IPv4");
    }

    @Test
    void lmtpRepliesPerRecipientAndSenderDependentRelayhost() throws Exception {
        ScriptedSmtpServer lmtpServer = scripted("127.0.0.10", null);
        lmtpServer.lmtpDataReply = rcpt -> rcpt.startsWith("full") ? "452 4.2.2 <" + rcpt + "> Mailbox full" : "250 2.0.0 <" + rcpt + "> Saved";
        ScriptedSmtpServer relay = scripted("127.0.0.11", null);
        harness(Map.of("transport_maps", "inline:{lmtp.test=lmtp:[127.0.0.10]:" + lmtpServer.port() + "}",
            "sender_dependent_relayhost_maps", "inline:{special@local.test=[127.0.0.11]:" + relay.port() + "}"));
        org.mailserver.core.queue.IncomingMessage in = h.queue.begin(new org.mailserver.core.queue.Envelope("alice@local.test",
            java.util.List.of(new org.mailserver.core.queue.Envelope.Recipient("ok@lmtp.test"),
                new org.mailserver.core.queue.Envelope.Recipient("full@lmtp.test")),
            null, null, "7BIT", false, null, null, null, java.time.Instant.now()));
        byte[] b = "Subject: lmtp\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        in.write(b, 0, b.length);
        in.commit();
        String viaRelay = h.send("special@local.test", "x@not-in-dns.test", null, null);
        OutboundHarness.await(() -> h.last("full@lmtp.test") != null && h.gone(viaRelay), "deliveries");
        assertEquals(RecipientResult.Status.SENT, h.last("ok@lmtp.test").status());
        assertEquals(RecipientResult.Status.DEFERRED, h.last("full@lmtp.test").status());
        assertEquals("4.2.2", h.last("full@lmtp.test").dsn());
        assertTrue(lmtpServer.lines.stream().anyMatch(l -> l.startsWith("LHLO ")));
        assertEquals(1, relay.messages.size());
    }

    @Test
    void implicitTlsRelay() throws Exception {
        ScriptedSmtpServer relay = scripted("127.0.0.12", new TestCerts("relay.example.test"));
        relay.implicitTls = true;
        harness(Map.of("relayhost", "[127.0.0.12]:" + relay.port(), "smtp_tls_wrappermode", "yes"));
        String id = h.send("alice@local.test", "x@not-in-dns.test", null, null);
        OutboundHarness.await(() -> h.gone(id), "delivery over implicit TLS");
        assertEquals("Untrusted", h.last("x@not-in-dns.test").tls());
        assertFalse(relay.lines.contains("STARTTLS"));
        assertEquals(1, relay.messages.size());
    }

    @Test
    void smtputf8IsPassedOnOrTheRecipientBouncesWhenItCannotBe() throws Exception {
        ScriptedSmtpServer plain = scripted("127.0.0.13", null);
        ScriptedSmtpServer utf8 = scripted("127.0.0.14", null);
        utf8.extensions.add("SMTPUTF8");
        harness(Map.of("transport_maps", "inline:{plain.test=smtp:[127.0.0.13]:" + plain.port()
            + ", utf8.test=smtp:[127.0.0.14]:" + utf8.port() + "}"));
        List<String> ids = new java.util.ArrayList<>();
        for (String rcpt : List.of("j\u00f6rg@plain.test", "ascii@plain.test", "j\u00f6rg@utf8.test")) {
            org.mailserver.core.queue.IncomingMessage in = h.queue.begin(new org.mailserver.core.queue.Envelope("alice@local.test",
                List.of(new org.mailserver.core.queue.Envelope.Recipient(rcpt)), null, null, "8BITMIME", true, null, null, null,
                java.time.Instant.now()));
            byte[] b = "Subject: gr\u00fc\u00dfe\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8);
            in.write(b, 0, b.length);
            ids.add(in.commit());
        }
        OutboundHarness.await(() -> ids.stream().allMatch(h::gone), "all handled");
        // RFC 6531 3.2: a non-ASCII address cannot be delivered to a server without SMTPUTF8.
        assertEquals("5.6.7", h.last("j\u00f6rg@plain.test").dsn());
        assertEquals(RecipientResult.Status.SENT, h.last("ascii@plain.test").status());
        assertTrue(plain.lines.stream().noneMatch(l -> l.contains("SMTPUTF8")));
        assertEquals(RecipientResult.Status.SENT, h.last("j\u00f6rg@utf8.test").status());
        assertTrue(utf8.lines.stream().anyMatch(l -> l.startsWith("MAIL FROM:<alice@local.test>") && l.contains(" SMTPUTF8")));
    }

    @Test
    void lmtpOverAUnixDomainSocket() throws Exception {
        Path socket = dir.resolve("lmtp.sock");
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(socket));
        closeables.add(server);
        Thread t = new Thread(() -> {
            try (java.nio.channels.SocketChannel c = server.accept()) {
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    java.nio.channels.Channels.newInputStream(c), StandardCharsets.UTF_8));
                java.io.OutputStream out = java.nio.channels.Channels.newOutputStream(c);
                java.util.function.Consumer<String> reply = r -> {
                    try {
                        out.write((r + "\r\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                };
                reply.accept("220 lmtp ready");
                int rcpts = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    seen.add(line);
                    if (line.startsWith("LHLO")) {
                        reply.accept("250-lmtp\r\n250 PIPELINING");
                    } else if (line.startsWith("RCPT")) {
                        rcpts++;
                        reply.accept("250 2.1.5 ok");
                    } else if (line.equals("DATA")) {
                        reply.accept("354 go");
                        while (!".".equals(in.readLine())) {
                            // body
                        }
                        for (int i = 0; i < rcpts; i++) {
                            reply.accept("250 2.0.0 saved");
                        }
                    } else if (line.equals("QUIT")) {
                        reply.accept("221 bye");
                        return;
                    } else {
                        reply.accept("250 ok");
                    }
                }
            } catch (Exception e) {
                // test server ends
            }
        });
        t.setDaemon(true);
        t.start();
        harness(Map.of("transport_maps", "inline:{unix.test=lmtp:unix:" + socket + "}", "smtp_connection_cache_time_limit", "0"));
        String id = h.send("alice@local.test", "u@unix.test", null, null);
        OutboundHarness.await(() -> h.gone(id), "LMTP delivery over a unix socket");
        assertEquals(RecipientResult.Status.SENT, h.last("u@unix.test").status());
        assertEquals(socket.toString(), h.last("u@unix.test").relay());
        assertTrue(seen.get(0).startsWith("LHLO "), seen.toString());
    }

    @Test
    void binaryMimeGoesInBdatChunksOrBouncesWithoutChunking() throws Exception {
        ScriptedSmtpServer chunking = scripted("127.0.0.15", null);
        chunking.extensions.add("CHUNKING");
        chunking.extensions.add("BINARYMIME");
        ScriptedSmtpServer plain = scripted("127.0.0.16", null);
        harness(Map.of("transport_maps", "inline:{chunk.test=smtp:[127.0.0.15]:" + chunking.port()
            + ", plain.test=smtp:[127.0.0.16]:" + plain.port() + "}"));
        List<String> ids = new java.util.ArrayList<>();
        for (String rcpt : List.of("a@chunk.test", "b@plain.test")) {
            org.mailserver.core.queue.IncomingMessage in = h.queue.begin(new org.mailserver.core.queue.Envelope("alice@local.test",
                List.of(new org.mailserver.core.queue.Envelope.Recipient(rcpt)), null, null, "BINARYMIME", false, null, null, null,
                java.time.Instant.now()));
            byte[] b = "Subject: bin\r\n\r\n.no stuffing in BDAT\r\n".getBytes(StandardCharsets.US_ASCII);
            in.write(b, 0, b.length);
            ids.add(in.commit());
        }
        OutboundHarness.await(() -> ids.stream().allMatch(h::gone), "both handled");
        assertEquals(RecipientResult.Status.SENT, h.last("a@chunk.test").status());
        assertTrue(chunking.lines.stream().anyMatch(l -> l.startsWith("MAIL FROM:<alice@local.test> SIZE=") && l.contains("BODY=BINARYMIME")));
        assertEquals("Subject: bin\r\n\r\n.no stuffing in BDAT\r\n", chunking.messages.get(0));
        assertEquals("5.6.3", h.last("b@plain.test").dsn());
        assertTrue(plain.lines.stream().noneMatch(l -> l.startsWith("MAIL")));
    }
}
