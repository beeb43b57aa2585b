package org.mailserver.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.mailserver.core.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TlsProvider} of the daemon: certificates from {@link TlsConfig} (or the self-signed one),
 * TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0 and 1.1; RFC 8314 section 4.1 asks for current
 * versions), AEAD cipher suites with forward secrecy (Mozilla's "intermediate" list), server cipher
 * preference, and a certificate chosen by SNI (RFC 6066 section 3) from the DNS names in each
 * certificate; the first certificate is the default for clients that send no SNI.
 *
 * <p>The engines come from OpenSSL (BoringSSL, netty-tcnative) or the JDK as {@link TlsLibrary} says
 * ({@code tls_provider}); under {@code auto} a certificate OpenSSL refuses is served by the JDK instead,
 * with a warning. Both engines take the JDK cipher names below and report JDK names back
 * ({@code SSLSession.getCipherSuite()}), so Received headers and logs read the same; suites a library
 * lacks (BoringSSL has no DHE) are dropped by {@link SupportedCipherSuiteFilter}.
 *
 * <p>{@link #reloadIfChanged()} re-reads the files when their modification time or size changed (Let's
 * Encrypt renewing under a running server); a file that fails to load is logged and the previous
 * certificates keep serving. Established connections keep the context they started with.
 */
public final class ServerTls implements TlsProvider {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    /** RFC 8996: no TLS 1.0 or 1.1. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Mozilla "intermediate" (2023), in preference order; JDK names. */
    public static final List<String> CIPHERS = List.of(
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    private static final long SNI_TIMEOUT_MILLIS = 30_000;

    private final TlsConfig config;
    private volatile Loaded loaded;

    /** What one load of the files produced. */
    private record Loaded(List<CertifiedKey> certificates, Mapping<String, SslContext> mapping, Map<Path, String> stamps,
                          Set<SslProvider> providers) {
    }

    /** Loads the certificates now; throws {@link ConfigException} when a file is missing or bad. */
    public ServerTls(TlsConfig config) {
        this.config = config;
        this.loaded = load(config);
    }

    public TlsConfig config() {
        return config;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public ChannelHandler newServerHandler(ByteBufAllocator allocator) {
        return new PreferringSniHandler(loaded.mapping());
    }

    /** The loaded certificates, default first (for {@code check} and {@code status}). */
    public List<CertifiedKey> certificates() {
        return loaded.certificates();
    }

    /** The implementations serving this configuration's certificates (normally one). */
    public Set<SslProvider> providers() {
        return loaded.providers();
    }

    /** Re-reads the files if any changed since the last load. Returns true when new certificates are in use. */
    public boolean reloadIfChanged() {
        Map<Path, String> now = stamps(config);
        if (now.equals(loaded.stamps())) {
            return false;
        }
        try {
            loaded = load(config);
            log.info("TLS certificates reloaded: {}", describe(loaded.certificates()));
            return true;
        } catch (ConfigException e) {
            log.warn("TLS certificate files changed but cannot be loaded, keeping the previous ones: {}", e.getMessage());
            return false;
        }
    }

    private static Loaded load(TlsConfig config) {
        Map<Path, String> stamps = stamps(config);
        List<CertifiedKey> certificates = new ArrayList<>();
        if (config.selfSigned()) {
            certificates.add(SelfSignedCertificate.ensure(config.dataDirectory(), config.hostname()));
        } else {
            if (config.certFile() != null) {
                certificates.add(PemFiles.readPair(config.keyFile(), config.certFile()));
            }
            if (!config.chainFiles().isEmpty()) {
                certificates.addAll(PemFiles.readChains(config.chainFiles()));
            }
        }
        Map<CertifiedKey, SslContext> contexts = new HashMap<>();
        Set<SslProvider> providers = EnumSet.noneOf(SslProvider.class);
        for (CertifiedKey key : certificates) {
            SslContext context = context(key, config.library());
            contexts.put(key, context);
            providers.add(context instanceof JdkSslContext ? SslProvider.JDK : SslProvider.OPENSSL);
        }
        var builder = new DomainWildcardMappingBuilder<>(contexts.get(certificates.get(0)));
        // Later certificates are added first so that an earlier one wins a name both claim.
        for (int i = certificates.size() - 1; i >= 0; i--) {
            CertifiedKey key = certificates.get(i);
            for (String name : key.dnsNames()) {
                builder.add(name, contexts.get(key));
            }
        }
        return new Loaded(List.copyOf(certificates), builder.build(), stamps, Set.copyOf(providers));
    }

    private static SslContext context(CertifiedKey key, TlsLibrary library) {
        SslProvider provider = library.serverProvider();
        if (provider == SslProvider.OPENSSL && library == TlsLibrary.AUTO) {
            try {
                return context(key, provider);
            } catch (ConfigException e) {
                log.warn("{}; serving it with the JDK's TLS ({} = auto)", e.getMessage(), TlsLibrary.PARAMETER);
                return context(key, SslProvider.JDK);
            }
        }
        return context(key, provider);
    }

    private static SslContext context(CertifiedKey key, SslProvider provider) {
        try {
            return SslContextBuilder.forServer(key.key(), key.chainArray())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.NONE)
                .build();
        } catch (SSLException | IllegalArgumentException e) {
            String library = provider == SslProvider.JDK ? "the JDK's TLS" : "OpenSSL";
            throw new ConfigException(key.source() + ": " + library + " cannot use certificate: " + e.getMessage(), e);
        }
    }

    /** Modification time and size of each configured file; symbolic links are followed (Let's Encrypt's live/). */
    private static Map<Path, String> stamps(TlsConfig config) {
        Map<Path, String> stamps = new HashMap<>();
        for (Path file : config.files()) {
            try {
                stamps.put(file, Files.getLastModifiedTime(file) + "/" + Files.size(file));
            } catch (IOException e) {
                stamps.put(file, "missing");
            }
        }
        return stamps;
    }

    static String describe(List<CertifiedKey> certificates) {
        List<String> parts = new ArrayList<>();
        for (CertifiedKey key : certificates) {
            parts.add(key.dnsNames() + " until " + key.leaf().getNotAfter().toInstant());
        }
        return String.join(", ", parts);
    }

    /** An SslHandler for the default certificate, configured as SNI-selected ones are (for inspection). */
    SslHandler defaultSslHandler(ByteBufAllocator allocator) {
        return preferServerCipherOrder(loaded.mapping().map(null).newHandler(allocator));
    }

    private static SslHandler preferServerCipherOrder(SslHandler handler) {
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** An SniHandler whose engines honour the server's cipher order. */
    private static final class PreferringSniHandler extends SniHandler {
        PreferringSniHandler(Mapping<String, SslContext> mapping) {
            super(mapping, SNI_TIMEOUT_MILLIS);
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            return preferServerCipherOrder(super.newSslHandler(context, allocator));
        }
    }

    @Override
    public String toString() {
        return "ServerTls" + Objects.toString(describe(loaded.certificates()));
    }
}
