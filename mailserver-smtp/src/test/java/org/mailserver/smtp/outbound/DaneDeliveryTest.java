package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.delivery.RecipientResult;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;

/**
 * {@code smtp_tls_security_level = dane} end to end (RFC 7672): the loopback DNS server plays a validating
 * resolver (AD bit) serving TLSA records, a scripted peer offers STARTTLS with a test certificate.
 */
@Timeout(60)
class DaneDeliveryTest {
    @TempDir
    Path dir;
    TestDnsServer dns;
    final Map<InetAddress, Integer> ports = new HashMap<>();
    OutboundHarness h;
    final List<AutoCloseable> closeables = new ArrayList<>();
    TestCerts certs;
    ScriptedSmtpServer mx;

    @BeforeEach
    void setUp() throws Exception {
        dns = new TestDnsServer();
        dns.authenticated = true;
        // The certificate's name is not the MX host's: DANE-EE ignores names (RFC 7672 3.1.1).
        certs = new TestCerts("unrelated.name.test");
        mx = new ScriptedSmtpServer("127.0.0.21", 0, certs);
        ports.put(InetAddress.getByName("127.0.0.21"), mx.port());
        closeables.add(mx);
        dns.mx("dane.test", 10, "mx1.dane.test").a("mx1.dane.test", "127.0.0.21");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        dns.close();
    }

    private void tlsa(String host, int usage, int selector, int matching, byte[] data) throws Exception {
        dns.record(new TLSARecord(Name.fromString("_25._tcp." + host + "."), DClass.IN, 60, usage, selector, matching, data));
    }

    private byte[] spkiSha256() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(certs.cert.getPublicKey().getEncoded());
    }

    private RecipientResult deliverOnce(String rcpt) throws Exception {
        return deliverOnce(rcpt, "dane");
    }

    private RecipientResult deliverOnce(String rcpt, String level) throws Exception {
        h = new OutboundHarness(dir, dns, ports, Map.of("smtp_tls_security_level", level));
        h.send("alice@local.test", rcpt, null, null);
        OutboundHarness.await(() -> h.last(rcpt) != null, "an attempt");
        return h.last(rcpt);
    }

    @Test
    void daneEeSpkiSha256MatchIsDeliveredAndLoggedVerified() throws Exception {
        tlsa("mx1.dane.test", 3, 1, 1, spkiSha256());
        RecipientResult r = deliverOnce("u@dane.test");
        assertEquals(RecipientResult.Status.SENT, r.status(), r.reply());
        assertEquals("Verified", r.tls());
        assertTrue(mx.lines.contains("STARTTLS"));
    }

    @Test
    void tlsaMismatchDefersWith475AndSendsNothing() throws Exception {
        byte[] wrong = spkiSha256();
        wrong[0] ^= 1;
        tlsa("mx1.dane.test", 3, 1, 1, wrong);
        RecipientResult r = deliverOnce("u@dane.test");
        assertEquals(RecipientResult.Status.DEFERRED, r.status());
        assertEquals("4.7.5", r.dsn());
        assertTrue(r.reply().contains("DANE"), r.reply());
        assertTrue(mx.messages.isEmpty());
    }

    @Test
    void insecureAnswerWithoutAdIsOpportunistic() throws Exception {
        byte[] wrong = new byte[32];
        tlsa("mx1.dane.test", 3, 1, 1, wrong);
        dns.authenticated = false;
        RecipientResult r = deliverOnce("u@dane.test");
        assertEquals(RecipientResult.Status.SENT, r.status(), r.reply());
        assertEquals("Untrusted", r.tls(), "may: encrypted, certificate not checked");
    }

    @Test
    void insecureMxRrsetMeansNoDaneEvenWithSecureTlsa() throws Exception {
        byte[] wrong = new byte[32];
        tlsa("mx1.dane.test", 3, 1, 1, wrong);
        dns.insecure("dane.test");
        RecipientResult r = deliverOnce("u@dane.test");
        assertEquals(RecipientResult.Status.SENT, r.status(), r.reply());
        assertEquals("Untrusted", r.tls());
    }

    @Test
    void tlsaLookupFailureDefersWithoutConnecting() throws Exception {
        dns.servfail("_25._tcp.mx1.dane.test");
        RecipientResult r = deliverOnce("u@dane.test");
        assertEquals(RecipientResult.Status.DEFERRED, r.status());
        assertEquals("4.7.5", r.dsn());
        assertTrue(r.reply().contains("TLSA lookup error"), r.reply());
        assertEquals(0, mx.connections.get());
    }

    @Test
    void secureButUnusableRecordsMeanMandatoryTlsWithoutAuthentication() throws Exception {
        // PKIX-EE (usage 1) is unusable for SMTP (RFC 7672 3.1.3): encrypt, any certificate.
        tlsa("mx1.dane.test", 1, 1, 1, spkiSha256());
        mx.extensions.remove("STARTTLS");
        RecipientResult r = deliverOnce("u@dane.test");
        assertEquals(RecipientResult.Status.DEFERRED, r.status());
        assertEquals("4.7.4", r.dsn(), r.reply());
        assertFalse(mx.lines.contains("STARTTLS"));
    }

    @Test
    void daneOnlyDefersWithoutSecureTlsaAndDeliversWithIt() throws Exception {
        dns.authenticated = false;
        tlsa("mx1.dane.test", 3, 1, 1, spkiSha256());
        RecipientResult r = deliverOnce("u@dane.test", "dane-only");
        assertEquals(RecipientResult.Status.DEFERRED, r.status());
        assertEquals("4.7.5", r.dsn());
        assertTrue(r.reply().startsWith("dane-only"), r.reply());
        assertEquals(0, mx.connections.get());
        h.close();
        h = null;
        dns.authenticated = true;
        RecipientResult ok = deliverOnce("v@dane.test", "dane-only");
        assertEquals(RecipientResult.Status.SENT, ok.status(), ok.reply());
        assertEquals("Verified", ok.tls());
    }
}
