package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.smtp.outbound.tls.DestinationTls;
import org.mailserver.smtp.outbound.tls.MtaSts;
import org.mailserver.smtp.outbound.tls.MtaStsCache;
import org.mailserver.smtp.outbound.tls.MtaStsFetcher;
import org.mailserver.smtp.outbound.tls.TlsaLookup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

/**
 * MTA-STS (RFC 8461) end to end: the {@code _mta-sts} TXT record from the loopback DNS server, the policy
 * from a loopback HTTPS server whose test certificate the fetcher trusts, a scripted MX with STARTTLS.
 */
@Timeout(60)
class MtaStsDeliveryTest {
    @TempDir
    Path dir;
    TestDnsServer dns;
    final Map<InetAddress, Integer> ports = new HashMap<>();
    OutboundHarness h;
    final List<AutoCloseable> closeables = new ArrayList<>();
    ScriptedSmtpServer mx;
    TestCerts mxCerts;
    final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        dns = new TestDnsServer();
        mxCerts = new TestCerts("mx1.sts.test");
        mx = new ScriptedSmtpServer("127.0.0.31", 0, mxCerts);
        ports.put(InetAddress.getByName("127.0.0.31"), mx.port());
        closeables.add(mx);
        dns.a("mx1.sts.test", "127.0.0.31").a("rogue.sts.test", "127.0.0.31").a("mta-sts.sts.test", "127.0.0.32")
            .record(new TXTRecord(Name.fromString("_mta-sts.sts.test."), DClass.IN, 60, "v=STSv1; id=20260101;"));
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

    /** A one-document HTTPS server on 127.0.0.32 for mta-sts.sts.test; returns its port. */
    private int policyServer(String body) throws Exception {
        TestCerts web = new TestCerts("mta-sts.sts.test");
        SSLServerSocket server = (SSLServerSocket) web.serverContext.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.32"), 0));
        closeables.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line = in.readLine();
                    while (line != null && !line.isEmpty()) {
                        line = in.readLine();
                    }
                    fetches.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    // closed at the end of the test, or a client that gave up
                }
            }
        }, "mta-sts-https");
        t.setDaemon(true);
        t.start();
        Path webDir = Files.createDirectories(dir.resolve("web"));
        SSLContext trustWeb = SSLContext.getInstance("TLS");
        trustWeb.init(null, new TrustManager[] {TlsPolicy.trustManager(web.writePem(webDir))}, null);
        this.trustWeb = trustWeb;
        return server.getLocalPort();
    }

    private SSLContext trustWeb;

    private RecipientResult deliver(String rcpt, String policy, boolean trustMx) throws Exception {
        int httpsPort = policyServer(policy);
        Map<String, String> extra = new HashMap<>();
        if (trustMx) {
            extra.put("smtp_tls_CAfile", mxCerts.writePem(Files.createDirectories(dir.resolve("mx"))).toString());
        }
        h = new OutboundHarness(dir.resolve("q"), dns, ports, extra);
        DnsResolver resolver = DnsResolver.create(dns.address(), Duration.ofSeconds(2));
        MtaSts sts = new MtaSts(resolver.resolver(),
            new MtaStsFetcher(trustWeb, host -> resolver.addresses(host, false), httpsPort, Duration.ofSeconds(5)),
            new MtaStsCache(dir.resolve("mta-sts")), Clock.systemUTC());
        h.smtp.destinationTls(new DestinationTls(new TlsaLookup(resolver.resolver()), sts));
        h.send("alice@local.test", rcpt, null, null);
        OutboundHarness.await(() -> h.last(rcpt) != null, "an attempt");
        return h.last(rcpt);
    }

    @Test
    void enforceWithAMatchingMxIsDeliveredVerifiedAndThePolicyIsCachedOnDisk() throws Exception {
        dns.mx("sts.test", 10, "mx1.sts.test");
        RecipientResult r = deliver("u@sts.test", "version: STSv1\r\nmode: enforce\r\nmx: *.sts.test\r\nmax_age: 86400\r\n", true);
        assertEquals(RecipientResult.Status.SENT, r.status(), r.reply());
        assertEquals("Verified", r.tls());
        assertEquals(1, fetches.get());
        assertTrue(Files.readString(dir.resolve("mta-sts").resolve("sts.test.policy")).contains("mode: enforce"));
    }

    @Test
    void enforceRefusesAnMxHostOutsideThePolicy() throws Exception {
        dns.mx("sts.test", 10, "rogue.sts.test");
        RecipientResult r = deliver("u@sts.test", "version: STSv1\r\nmode: enforce\r\nmx: mx1.sts.test\r\nmax_age: 86400\r\n", true);
        assertEquals(RecipientResult.Status.DEFERRED, r.status());
        assertEquals("4.7.5", r.dsn());
        assertTrue(r.reply().contains("does not match the MTA-STS policy"), r.reply());
        assertEquals(0, mx.connections.get());
    }

    @Test
    void enforceRequiresATrustedCertificate() throws Exception {
        dns.mx("sts.test", 10, "mx1.sts.test");
        RecipientResult r = deliver("u@sts.test", "version: STSv1\r\nmode: enforce\r\nmx: mx1.sts.test\r\nmax_age: 86400\r\n", false);
        assertEquals(RecipientResult.Status.DEFERRED, r.status());
        assertEquals("4.7.5", r.dsn());
        assertTrue(mx.messages.isEmpty());
    }

    @Test
    void testingModeOnlyLogsAndDelivers() throws Exception {
        dns.mx("sts.test", 10, "rogue.sts.test");
        RecipientResult r = deliver("u@sts.test", "version: STSv1\r\nmode: testing\r\nmx: mx1.sts.test\r\nmax_age: 86400\r\n", false);
        assertEquals(RecipientResult.Status.SENT, r.status(), r.reply());
        assertEquals("Untrusted", r.tls());
        assertEquals(1, fetches.get());
    }

    @Test
    void anUnparsablePolicyLeavesDeliveryOpportunistic() throws Exception {
        dns.mx("sts.test", 10, "rogue.sts.test");
        RecipientResult r = deliver("u@sts.test", "<html>oops</html>", false);
        assertEquals(RecipientResult.Status.SENT, r.status(), r.reply());
        assertEquals(1, fetches.get());
    }
}
