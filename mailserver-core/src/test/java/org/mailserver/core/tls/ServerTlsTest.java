package org.mailserver.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.daemon.Daemon;
import org.mailserver.core.daemon.TlsClients;
import org.mailserver.core.tls.TestCertificates.KeyFormat;

/** Configured certificates over real sockets, with each TLS library: SNI selection, reload when the files change. */
@Timeout(60)
class ServerTlsTest {
    @TempDir
    Path dir;
    private Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    /** Skips the OpenSSL cases on a machine where netty-tcnative does not load. */
    private static void assumeAvailable(TlsLibrary library) {
        assumeTrue(library != TlsLibrary.OPENSSL || TlsLibrary.openSslUsable(), "OpenSSL not available here");
    }

    @ParameterizedTest
    @EnumSource(value = TlsLibrary.class, names = {"JDK", "OPENSSL"})
    void engineAllowsOnlyTls12And13WithServerCipherOrder(TlsLibrary library) {
        assumeAvailable(library);
        ServerTls tls = new ServerTls(new TlsConfig(null, null, List.of(), dir, "mail.example.test", library));
        assertEquals(Set.of(library.serverProvider()), tls.providers());
        SSLEngine engine = tls.defaultSslHandler(ByteBufAllocator.DEFAULT).engine();
        List<String> protocols = new ArrayList<>(List.of(engine.getEnabledProtocols()));
        // Netty's OpenSSL engine always lists SSLv2Hello (OpenSSL has no switch for it); BoringSSL does not
        // accept an SSLv2-format ClientHello at all, so it is no protocol that can be negotiated.
        protocols.remove("SSLv2Hello");
        assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.copyOf(protocols));
        assertTrue(engine.getSSLParameters().getUseCipherSuitesOrder());
        List<String> suites = List.of(engine.getEnabledCipherSuites());
        assertTrue(suites.contains("TLS_AES_128_GCM_SHA256") && suites.contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            suites.toString());
        for (String suite : suites) {
            assertTrue(suite.contains("GCM") || suite.contains("CHACHA20"), suite);
        }
    }

    @Test
    void autoServesWithOpenSslWhereItLoads() {
        ServerTls tls = new ServerTls(new TlsConfig(null, null, List.of(), dir, "mail.example.test"));
        assertEquals(Set.of(TlsLibrary.openSslUsable() ? SslProvider.OPENSSL : SslProvider.JDK), tls.providers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void certificateIsChosenBySniAndReloadedWhenTheFilesChange(String provider) throws Exception {
        TlsLibrary library = TlsLibrary.valueOf(provider.toUpperCase(java.util.Locale.ROOT));
        assumeAvailable(library);
        var a = TestCertificates.write(dir, "a", "RSA", KeyFormat.TRADITIONAL, Duration.ofDays(90), "a.example");
        var b = TestCertificates.write(dir, "b", "EC", KeyFormat.PKCS8, Duration.ofDays(90), "b.example", "*.b.example");
        Files.writeString(dir.resolve("main.cf"), String.join("\n",
            "myhostname = a.example", "data_directory = data", "queue_directory = data/queue",
            "smtpd_tls_cert_file = a-cert.pem", "smtpd_tls_key_file = a-key.pem",
            "smtpd_tls_chain_files = b-key.pem, b-cert.pem", "tls_provider = " + provider, ""));
        Files.writeString(dir.resolve("master.cf"), "imaps imap 127.0.0.1:0 -o imap_tls_wrappermode=yes\n");
        daemon = new Daemon(dir, Map.of());
        daemon.start();
        InetSocketAddress address = (InetSocketAddress) daemon.listeners().listeners().get(0).addresses().get(0);
        assertEquals(TlsLibrary.describe(library.serverProvider()), daemon.tls().describeProviders());

        assertEquals(a.certificate(), presented(address, a.certificate(), "a.example"));
        assertEquals(b.certificate(), presented(address, b.certificate(), "b.example"));
        assertEquals(b.certificate(), presented(address, b.certificate(), "imap.b.example"));
        assertEquals(a.certificate(), presented(address, a.certificate(), "other.example", false), "default for unknown names");
        assertThrows(SSLHandshakeException.class, () -> presented(address, b.certificate(), "a.example"));

        var renewed = TestCertificates.write(dir, "a", "EC", KeyFormat.PKCS8, Duration.ofDays(90), "a.example");
        Files.setLastModifiedTime(renewed.cert(), FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(1, daemon.tls().reloadChanged());
        assertEquals(renewed.certificate(), presented(address, renewed.certificate(), "a.example"));

        Files.writeString(renewed.key(), "not a key\n");
        Files.setLastModifiedTime(renewed.key(), FileTime.from(Instant.now().plusSeconds(10)));
        assertEquals(0, daemon.tls().reloadChanged(), "a broken renewal is refused");
        assertEquals(renewed.certificate(), presented(address, renewed.certificate(), "a.example"), "old certificate kept");
    }

    private static X509Certificate presented(InetSocketAddress address, X509Certificate trusted, String sni) throws Exception {
        return presented(address, trusted, sni, true);
    }

    private static X509Certificate presented(InetSocketAddress address, X509Certificate trusted, String sni, boolean verifyName)
        throws Exception {
        SSLContext context = TlsClients.trusting(trusted);
        try (SSLSocket socket = TlsClients.handshake(context, address, "TLSv1.3", sni, verifyName)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
