package org.mailserver.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.mailserver.smtp.outbound.tls.ClientSideTrustManager;

/**
 * Outbound TLS policy, as Postfix's {@code smtp_tls_security_level}: {@code none}, {@code may}
 * (opportunistic STARTTLS, any certificate, plaintext if not offered), {@code encrypt} (TLS required, any
 * certificate), {@code verify} and {@code secure} (TLS required, certificate chain trusted by
 * {@code smtp_tls_CAfile} or the system store and the server name matched, RFC 6125). {@code dane} is
 * resolved per MX host by {@code outbound.tls.DestinationTls} into verify (with a TLSA trust manager),
 * encrypt or may before a connection uses it. One instance per
 * configuration; {@link #newContext} per connection records what the handshake proved.
 */
public final class TlsPolicy {

    public enum Level { NONE, MAY, ENCRYPT, DANE, VERIFY, SECURE,
        /** Postfix's dane-only: DANE or nothing (defer); resolved per host like DANE. */
        DANE_ONLY;

        public static Level parse(String value) {
            String v = value == null || value.isBlank() ? "may" : value.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "none" -> NONE;
                case "may" -> MAY;
                case "encrypt" -> ENCRYPT;
                case "dane" -> DANE;
                case "dane-only" -> DANE_ONLY;
                case "verify" -> VERIFY;
                case "secure" -> SECURE;
                default -> throw new IllegalArgumentException("unknown TLS security level: " + value);
            };
        }

        /** TLS is mandatory: no plaintext fallback. */
        public boolean required() {
            return this == ENCRYPT || this == VERIFY || this == SECURE;
        }

        /** The certificate must be verified (chain and name). */
        public boolean verifies() {
            return this == VERIFY || this == SECURE;
        }
    }

    private final Level level;
    private final X509ExtendedTrustManager trust;

    public TlsPolicy(Level level, X509ExtendedTrustManager trust) {
        this.level = level;
        this.trust = trust;
    }

    public Level level() {
        return level;
    }

    public TlsPolicy withLevel(Level other) {
        return new TlsPolicy(other, trust);
    }

    /** Trust anchors from a PEM file ({@code smtp_tls_CAfile}), or the JDK's default store when null. */
    public static X509ExtendedTrustManager trustManager(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore ks = null;
        if (caFile != null) {
            ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** A per-connection context and the holder of its outcome. */
    public record Context(SSLContext ssl, TlsOutcome[] outcome) {
    }

    public Context newContext() throws GeneralSecurityException {
        TlsOutcome[] outcome = {TlsOutcome.ANONYMOUS};
        X509ExtendedTrustManager evaluating = new ClientSideTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                outcome[0] = evaluate(chain, authType, () -> trust.checkServerTrusted(chain, authType, socket));
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                outcome[0] = evaluate(chain, authType, () -> trust.checkServerTrusted(chain, authType, engine));
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                outcome[0] = evaluate(chain, authType, () -> {
                    throw new CertificateException("no peer name to check");
                });
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {evaluating}, null);
        return new Context(ctx, outcome);
    }

    private interface Check {
        void run() throws CertificateException;
    }

    /** Verified when the full check (chain + name) passes, Trusted for chain only, else Untrusted. */
    private TlsOutcome evaluate(X509Certificate[] chain, String authType, Check withName) throws CertificateException {
        TlsOutcome result;
        try {
            withName.run();
            result = TlsOutcome.VERIFIED;
        } catch (CertificateException e) {
            try {
                ((X509TrustManager) trust).checkServerTrusted(chain, authType);
                result = TlsOutcome.TRUSTED;
            } catch (CertificateException e2) {
                result = TlsOutcome.UNTRUSTED;
            }
            if (level.verifies()) {
                throw new CertificateException("server certificate not verified (" + result.label() + "): " + e.getMessage(), e);
            }
        }
        return result;
    }
}
