package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.*;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
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
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.IncomingMessage;

/**
 * BODY=8BITMIME mail to a server that does not offer 8BITMIME (RFC 6152 3): converted to quoted-printable,
 * or bounced (5.6.3) when it cannot be or when disable_mime_output_conversion = yes.
 */
@Timeout(60)
class EightBitDeliveryTest {
    static final String MULTIPART = "From: <alice@local.test>\r\nTo: <bob@old.test>\r\nSubject: 8bit\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/alternative; boundary=\"sep\"\r\n\r\n"
        + "--sep\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "Gr\u00fc\u00dfe, \u00e7a va ?\r\n.dotted line\r\n"
        + "--sep\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplain\r\n--sep--\r\n";

    @TempDir
    Path dir;
    TestDnsServer dns;
    final Map<InetAddress, Integer> ports = new HashMap<>();
    OutboundHarness h;
    ScriptedSmtpServer old;

    @BeforeEach
    void setUp() throws Exception {
        dns = new TestDnsServer();
        old = new ScriptedSmtpServer("127.0.0.17", 0, null);
        old.extensions.remove("8BITMIME");
        ports.put(InetAddress.getByName("127.0.0.17"), old.port());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
        old.close();
        dns.close();
    }

    void harness(String disableConversion) {
        try {
            h = new OutboundHarness(dir, dns, ports, Map.of("transport_maps", "inline:{old.test=smtp:[127.0.0.17]:" + old.port() + "}",
                "disable_mime_output_conversion", disableConversion));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String send(String rcpt, String content) throws Exception {
        IncomingMessage in = h.queue.begin(new Envelope("alice@local.test", List.of(new Envelope.Recipient(rcpt)), null, null,
            "8BITMIME", false, null, null, null, Instant.now()));
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        in.write(b, 0, b.length);
        String id = in.commit();
        OutboundHarness.await(() -> h.gone(id), "delivery of " + rcpt);
        return id;
    }

    @Test
    void eightBitPartIsSentAsQuotedPrintableAndDecodesBack() throws Exception {
        harness("no");
        send("bob@old.test", MULTIPART);
        assertEquals(RecipientResult.Status.SENT, h.last("bob@old.test").status(), h.last("bob@old.test").toString());
        assertTrue(old.lines.stream().anyMatch(l -> l.startsWith("MAIL FROM:<alice@local.test>")), old.lines.toString());
        assertTrue(old.lines.stream().noneMatch(l -> l.contains("BODY=")), old.lines.toString());
        String received = old.messages.get(0);
        assertTrue(received.chars().allMatch(c -> c < 128), received);
        assertTrue(received.contains("Content-Transfer-Encoding: quoted-printable\r\n"), received);
        // The 7-bit part and the headers travel unchanged.
        assertTrue(received.startsWith("From: <alice@local.test>\r\nTo: <bob@old.test>\r\nSubject: 8bit\r\n"), received);
        assertTrue(received.contains("--sep\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplain\r\n--sep--\r\n"), received);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(received.getBytes(StandardCharsets.US_ASCII)));
        Multipart mp = (Multipart) m.getContent();
        try (var in = mp.getBodyPart(0).getInputStream()) {
            assertEquals("Gr\u00fc\u00dfe, \u00e7a va ?\r\n.dotted line", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // The SIZE announced is the converted size.
        String mail = old.lines.stream().filter(l -> l.startsWith("MAIL FROM")).findFirst().orElseThrow();
        assertEquals("SIZE=" + received.length(), mail.substring(mail.indexOf("SIZE=")).split(" ")[0]);
    }

    @Test
    void eightBitHeaderBouncesWith563() throws Exception {
        harness("no");
        send("bob@old.test", "Subject: gr\u00fc\u00dfe\r\nMIME-Version: 1.0\r\n\r\nbody\r\n");
        RecipientResult r = h.last("bob@old.test");
        assertEquals("5.6.3", r.dsn(), r.toString());
        assertTrue(old.lines.stream().noneMatch(l -> l.startsWith("MAIL")), old.lines.toString());
    }

    @Test
    void strictModeBouncesEightBitButSendsSevenBitCleanMail() throws Exception {
        harness("yes");
        send("bob@old.test", MULTIPART);
        assertEquals("5.6.3", h.last("bob@old.test").dsn());
        assertTrue(old.lines.stream().noneMatch(l -> l.startsWith("MAIL")), old.lines.toString());
        String clean = "Subject: ascii\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit\r\n\r\nonly ascii\r\n";
        send("carol@old.test", clean);
        assertEquals(RecipientResult.Status.SENT, h.last("carol@old.test").status());
        assertEquals(clean, old.messages.get(0));
        assertTrue(old.lines.stream().noneMatch(l -> l.contains("BODY=")), old.lines.toString());
    }
}
