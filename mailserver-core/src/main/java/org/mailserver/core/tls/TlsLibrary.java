package org.mailserver.core.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

/**
 * Which TLS implementation serves the listeners, from {@code tls_provider}: BoringSSL through
 * netty-tcnative when it loads (a handshake's RSA signature and key exchange cost a fraction of the
 * JDK's CPU), else the JDK's SSLEngine. Read by {@link TlsConfig#from}, so a bad value or a forced
 * {@code openssl} that cannot load fails the start (and a reload) with a {@link ConfigException}.
 *
 * <p>Both implementations get the same versions, cipher list and server cipher order from
 * {@link ServerTls}; outbound SMTP (the client side) stays on the JDK whatever this says.
 */
public enum TlsLibrary {
    /** OpenSSL when usable, else the JDK (the default). */
    AUTO,
    /** OpenSSL, or a configuration error when it does not load. */
    OPENSSL,
    /** The JDK's SSLEngine. */
    JDK;

    public static final String PARAMETER = "tls_provider";

    /** A TLS 1.3 suite every TLS 1.3 library has (RFC 8446 section 9.1: MUST implement). */
    private static final String TLS13_PROBE = "TLS_AES_128_GCM_SHA256";

    /** The choice configured in {@code tls_provider}. */
    public static TlsLibrary from(Settings settings) {
        return parse(settings.getString(PARAMETER), openSslUsable(), unavailableReason());
    }

    /** Parses a value given whether OpenSSL is usable here (a parameter so tests can play a machine without it). */
    static TlsLibrary parse(String value, boolean openSslUsable, String unavailableReason) {
        TlsLibrary choice = switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "", "auto" -> AUTO;
            case "openssl" -> OPENSSL;
            case "jdk" -> JDK;
            default -> throw new ConfigException(PARAMETER + " = " + value.trim() + ": expected auto, openssl or jdk");
        };
        if (choice == OPENSSL && !openSslUsable) {
            throw new ConfigException(PARAMETER + " = openssl but OpenSSL cannot be used here (" + unavailableReason
                + "); set " + PARAMETER + " = auto or jdk to use the JDK's TLS");
        }
        return choice;
    }

    /** The provider server contexts are built with under this choice. */
    public SslProvider serverProvider() {
        return this == JDK || (this == AUTO && !openSslUsable()) ? SslProvider.JDK : SslProvider.OPENSSL;
    }

    /**
     * True when netty-tcnative loaded and offers TLS 1.3 (a build without it would silently drop a version the
     * JDK serves). The non-refcounted {@link SslProvider#OPENSSL} is used: SslHandler frees each engine's native
     * SSL when the connection closes, and a context's native part is freed when it is garbage collected.
     */
    static boolean openSslUsable() {
        return OpenSsl.isAvailable() && OpenSsl.isCipherSuiteAvailable(TLS13_PROBE);
    }

    private static String unavailableReason() {
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            return "netty-tcnative did not load: " + (cause == null ? "unknown reason" : cause.toString());
        }
        return OpenSsl.isCipherSuiteAvailable(TLS13_PROBE) ? "" : OpenSsl.versionString() + " has no TLS 1.3";
    }

    /**
     * A name for logs: "OpenSSL (BoringSSL)", "JDK (17.0.15)", or for the JDK where OpenSSL did not load,
     * "JDK (17.0.15; OpenSSL not usable: netty-tcnative did not load: ...)" so the admin sees why.
     */
    public static String describe(SslProvider provider) {
        if (provider != SslProvider.JDK) {
            return "OpenSSL (" + OpenSsl.versionString() + ")";
        }
        String jdk = "JDK (" + System.getProperty("java.version");
        return openSslUsable() ? jdk + ")" : jdk + "; OpenSSL not usable: " + unavailableReason() + ")";
    }
}
