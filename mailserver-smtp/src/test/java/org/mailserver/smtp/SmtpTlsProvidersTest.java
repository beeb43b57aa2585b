package org.mailserver.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/**
 * STARTTLS and implicit TLS on the daemon's ServerTls with each tls_provider: the Received header's TLS
 * clause (Postfix's form, "using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)") names the
 * version and the JDK cipher name the client negotiated, whichever library served it.
 */
@Timeout(30)
class SmtpTlsProvidersTest {
    private TestServer server;

    private TestServer start(String service, boolean implicitTls, String provider) {
        assumeTrue(!"openssl".equals(provider) || OpenSsl.isAvailable(), "OpenSSL not available here");
        Map<String, String> s = TestServer.defaults();
        s.put("tls_provider", provider);
        server = new TestServer(new SmtpProtocolHandlerFactory(), service, implicitTls, s);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"jdk, TLSv1.3", "jdk, TLSv1.2", "openssl, TLSv1.3", "openssl, TLSv1.2"})
    void receivedHeaderNamesTheNegotiatedVersionAndCipher(String provider, String protocol) {
        start("smtp", false, provider);
        String cipher;
        try (SmtpClient c = server.client()) {
            c.read();
            c.cmd("EHLO client.example.net");
            assertEquals(220, c.cmd("STARTTLS").code());
            c.startTls(protocol);
            assertEquals(protocol, c.tlsProtocol());
            cipher = c.tlsCipher();
            c.cmd("EHLO client.example.net");
            c.cmd("MAIL FROM:<a@example.net>");
            c.cmd("RCPT TO:<alice@example.com>");
            c.cmd("DATA");
            c.raw("Subject: t\r\n\r\nx\r\n.\r\n");
            assertEquals(250, c.read().code());
        }
        if (protocol.equals("TLSv1.2")) {
            // Server cipher order: AES-128-GCM over the client's AES-256 first (ECDHE_ECDSA: the self-signed key is EC).
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", cipher);
        } else {
            // TLS 1.3: the JDK applies our order; BoringSSL takes the client's (its TLS 1.3 suites are not configurable).
            assertTrue(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256").contains(cipher), cipher);
        }
        int bits = cipher.contains("AES_128") ? 128 : 256;
        String text = server.queue.last().text();
        assertTrue(text.contains("\n\t(using " + protocol + " with cipher " + cipher + " (" + bits + "/" + bits + " bits))\r\n"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void implicitTlsSubmissionsHandshakes(String provider) {
        start("submissions", true, provider);
        try (SmtpClient c = SmtpClient.connectTls(server.port())) {
            assertTrue(c.read().last().startsWith("220 "));
            assertTrue(c.tlsProtocol().equals("TLSv1.3"), c.tlsProtocol());
            assertEquals(250, c.cmd("EHLO client.example.net").code());
        }
    }
}
