package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.smtp.outbound.tls.DestinationTls;
import org.mailserver.smtp.outbound.tls.TlsaLookup;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

/**
 * DANE with in-process DNSSEC validation ({@code smtp_dnssec_trust_anchor_file}, dnsjava's
 * ValidatingResolver): the loopback DNS server serves a zone signed in the test (ECDSA P-256, algorithm 13)
 * and never sets AD itself, so only the validator can make the answers secure.
 */
@Timeout(60)
class DnssecValidationTest {
    @TempDir
    Path dir;
    TestDnsServer dns;
    KeyPair zoneKey;
    DNSKEYRecord dnskey;
    Path anchors;
    TestCerts certs;

    @BeforeEach
    void setUp() throws Exception {
        dns = new TestDnsServer();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        zoneKey = g.generateKeyPair();
        Name zone = Name.fromString("dane.test.");
        dnskey = new DNSKEYRecord(zone, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
            DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256, zoneKey.getPublic());
        anchors = Files.writeString(dir.resolve("anchors"), dnskey + "\n");
        certs = new TestCerts("mx1.dane.test");
        signed(dnskey, zoneKey);
        signed(new MXRecord(zone, DClass.IN, 60, 10, Name.fromString("mx1.dane.test.")), zoneKey);
        signed(new ARecord(Name.fromString("mx1.dane.test."), DClass.IN, 60, InetAddress.getByName("127.0.0.22")), zoneKey);
    }

    @AfterEach
    void tearDown() {
        dns.close();
    }

    /** Serves the record with its RRSIG made by {@code signer} (the zone key, or another one for a bogus answer). */
    private void signed(Record r, KeyPair signer) throws Exception {
        Instant now = Instant.now();
        dns.record(r).record(DNSSEC.sign(new RRset(r), dnskey, signer.getPrivate(), now.minusSeconds(3600), now.plusSeconds(86400)));
    }

    private TLSARecord tlsa() throws Exception {
        byte[] spki = MessageDigest.getInstance("SHA-256").digest(certs.cert.getPublicKey().getEncoded());
        return new TLSARecord(Name.fromString("_25._tcp.mx1.dane.test."), DClass.IN, 60, 3, 1, 1, spki);
    }

    private TlsaLookup validating() throws Exception {
        return TlsaLookup.validating(DnsResolver.create(dns.address(), Duration.ofSeconds(2)).resolver(), anchors);
    }

    @Test
    void signedAnswersAreSecureAndTheUpstreamsAdBitIsNotNeeded() throws Exception {
        signed(tlsa(), zoneKey);
        assertEquals(TlsaLookup.Status.SECURE_USABLE, validating().lookup("dane.test", "mx1.dane.test", 25).status());
        // The same answers through the AD-trusting path are insecure: the test server sets no AD.
        TlsaLookup plain = new TlsaLookup(DnsResolver.create(dns.address(), Duration.ofSeconds(2)).resolver());
        assertEquals(TlsaLookup.Status.INSECURE, plain.lookup("dane.test", "mx1.dane.test", 25).status());
    }

    @Test
    void aBogusSignatureOnTheTlsaRrsetIsAFailureNotADowngrade() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        signed(tlsa(), g.generateKeyPair());
        TlsaLookup.Result r = validating().lookup("dane.test", "mx1.dane.test", 25);
        assertEquals(TlsaLookup.Status.FAILED, r.status(), r.reason());
    }

    @Test
    void deliveryOverValidatedDaneIsVerified() throws Exception {
        signed(tlsa(), zoneKey);
        ScriptedSmtpServer mx = new ScriptedSmtpServer("127.0.0.22", 0, certs);
        Map<InetAddress, Integer> ports = new HashMap<>(Map.of(InetAddress.getByName("127.0.0.22"), mx.port()));
        try (mx; OutboundHarness h = new OutboundHarness(dir.resolve("q"), dns, ports, Map.of("smtp_tls_security_level", "dane"))) {
            h.smtp.destinationTls(new DestinationTls(validating(), null));
            h.send("alice@local.test", "u@dane.test", null, null);
            OutboundHarness.await(() -> h.last("u@dane.test") != null, "an attempt");
            RecipientResult r = h.last("u@dane.test");
            assertEquals(RecipientResult.Status.SENT, r.status(), r.reply());
            assertEquals("Verified", r.tls());
        }
    }
}
