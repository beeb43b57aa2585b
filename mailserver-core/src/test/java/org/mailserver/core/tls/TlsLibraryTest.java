package org.mailserver.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

/** tls_provider: its values, the error for a bad one, and forcing OpenSSL where it does or does not load. */
class TlsLibraryTest {

    private static TlsLibrary from(String value) {
        return TlsLibrary.from(Settings.of(Map.of("tls_provider", value)));
    }

    @Test
    void defaultIsAutoWhichPrefersOpenSslWhereItLoads() {
        assertEquals(TlsLibrary.AUTO, TlsLibrary.from(Settings.of(Map.of())));
        assertEquals(TlsLibrary.openSslUsable() ? SslProvider.OPENSSL : SslProvider.JDK, TlsLibrary.AUTO.serverProvider());
        assertEquals(TlsLibrary.AUTO, TlsLibrary.parse("auto", false, "no library"));
    }

    @Test
    void jdkIsAlwaysTheJdk() {
        assertEquals(TlsLibrary.JDK, from(" JDK "));
        assertEquals(SslProvider.JDK, TlsLibrary.JDK.serverProvider());
    }

    @Test
    void openSslForcedWorksWhereItLoads() {
        assumeTrue(TlsLibrary.openSslUsable(), "OpenSSL not available here");
        assertEquals(TlsLibrary.OPENSSL, from("openssl"));
        assertEquals(SslProvider.OPENSSL, TlsLibrary.OPENSSL.serverProvider());
    }

    @Test
    void openSslForcedWhereItDoesNotLoadIsAConfigErrorNamingTheParameter() {
        ConfigException e = assertThrows(ConfigException.class,
            () -> TlsLibrary.parse("openssl", false, "netty-tcnative did not load: no library for this platform"));
        assertTrue(e.getMessage().startsWith("tls_provider = openssl but OpenSSL cannot be used here"), e.getMessage());
        assertTrue(e.getMessage().contains("no library for this platform"), e.getMessage());
    }

    @Test
    void unknownValueIsAConfigErrorNamingTheParameterAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> from("gnutls"));
        assertEquals("tls_provider = gnutls: expected auto, openssl or jdk", e.getMessage());
    }
}
