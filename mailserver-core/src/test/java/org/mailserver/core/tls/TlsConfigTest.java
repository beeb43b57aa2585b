package org.mailserver.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

class TlsConfigTest {
    private static final Path CONF = Path.of("/etc/mailserver");

    private static TlsConfig from(Map<String, String> values) {
        return TlsConfig.from(Settings.of(values, CONF));
    }

    @Test
    void noCertificateMeansSelfSignedForMyhostnameInDataDirectory() {
        TlsConfig c = from(Map.of("myhostname", "mx.example.test", "data_directory", "/var/lib/ms"));
        assertTrue(c.selfSigned());
        assertNull(c.certFile());
        assertEquals("mx.example.test", c.hostname());
        assertEquals(Path.of("/var/lib/ms"), c.dataDirectory());
    }

    @Test
    void keyFileDefaultsToTheCertFileAndRelativePathsResolveAgainstTheConfigDirectory() {
        TlsConfig c = from(Map.of("smtpd_tls_cert_file", "tls/combined.pem", "smtpd_tls_chain_files", "a-key.pem, a.pem"));
        assertEquals(CONF.resolve("tls/combined.pem"), c.certFile());
        assertEquals(CONF.resolve("tls/combined.pem"), c.keyFile());
        assertEquals(List.of(CONF.resolve("a-key.pem"), CONF.resolve("a.pem")), c.chainFiles());
    }

    @Test
    void dovecotSslCertAndKeyAreAcceptedWithTheirLeadingAngleBracket() {
        TlsConfig c = from(Map.of("ssl_cert", "</etc/ssl/full.pem", "ssl_key", "< /etc/ssl/key.pem"));
        assertEquals(Path.of("/etc/ssl/full.pem"), c.certFile());
        assertEquals(Path.of("/etc/ssl/key.pem"), c.keyFile());
        TlsConfig postfixWins = from(Map.of("ssl_cert", "</x.pem", "smtpd_tls_cert_file", "/y.pem"));
        assertEquals(Path.of("/y.pem"), postfixWins.certFile());
    }

    @Test
    void tlsProviderIsPartOfTheConfigurationAndABadValueFailsIt() {
        assertEquals(TlsLibrary.AUTO, from(Map.of()).library());
        assertEquals(TlsLibrary.JDK, from(Map.of("tls_provider", "jdk")).library());
        assertNotEquals(from(Map.of()), from(Map.of("tls_provider", "jdk")), "listeners with different providers share no ServerTls");
        ConfigException e = assertThrows(ConfigException.class, () -> from(Map.of("tls_provider", "yes")));
        assertTrue(e.getMessage().contains("tls_provider"), e.getMessage());
    }
}
