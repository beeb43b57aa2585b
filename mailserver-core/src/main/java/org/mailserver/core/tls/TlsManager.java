package org.mailserver.core.tls;

import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mailserver.core.config.Settings;

/**
 * One {@link ServerTls} per distinct certificate configuration, shared by the listeners that use it.
 * The daemon builds a new manager on every reload (so certificates are re-read then, and a bad file
 * refuses the reload), and asks the current one every minute to pick up changed files.
 */
public final class TlsManager {
    private final Map<TlsConfig, ServerTls> providers = new LinkedHashMap<>();

    /** The provider for a listener's settings, loading its certificates on first use. */
    public synchronized ServerTls provider(Settings settings) {
        return providers.computeIfAbsent(TlsConfig.from(settings), ServerTls::new);
    }

    public synchronized Collection<ServerTls> providers() {
        return List.copyOf(providers.values());
    }

    /**
     * Which implementations serve TLS, for the start log: "OpenSSL (BoringSSL)", or several joined by " and "
     * when listeners differ (tls_provider set with -o in master.cf, or a certificate only the JDK takes).
     */
    public String describeProviders() {
        Set<SslProvider> used = EnumSet.noneOf(SslProvider.class);
        for (ServerTls tls : providers()) {
            used.addAll(tls.providers());
        }
        if (used.isEmpty()) {
            return "none (no TLS listener)";
        }
        List<String> names = new ArrayList<>();
        for (SslProvider provider : used) {
            names.add(TlsLibrary.describe(provider));
        }
        return String.join(" and ", names);
    }

    /** Re-reads changed certificate files; returns how many providers switched to new certificates. */
    public int reloadChanged() {
        int changed = 0;
        for (ServerTls tls : providers()) {
            if (tls.reloadIfChanged()) {
                changed++;
            }
        }
        return changed;
    }
}
