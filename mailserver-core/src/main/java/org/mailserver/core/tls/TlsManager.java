package org.mailserver.core.tls;

import java.util.Collection;
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
        return java.util.List.copyOf(providers.values());
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
