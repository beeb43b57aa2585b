package org.mailserver.core.delivery;

import java.util.Locale;
import java.util.Optional;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.config.Settings;
import org.mailserver.core.lookup.LookupException;
import org.mailserver.core.lookup.LookupTable;
import org.mailserver.core.lookup.LookupTables;

/**
 * Chooses the {@link Route} of each recipient, in Postfix's order (trivial-rewrite's resolve step):
 * {@code transport_maps} (full address, then the domain, then each parent domain as {@code .domain}),
 * then local domains to {@code local}, then the default transport {@code smtp} with
 * {@code sender_dependent_relayhost_maps} or {@code relayhost} as next hop, else the recipient domain.
 */
public final class Router {
    private final LocalDomains localDomains;
    private final LookupTable transportMaps;
    private final LookupTable senderRelayhosts;
    private final String relayhost;
    private final String defaultTransport;

    public Router(LocalDomains localDomains, LookupTable transportMaps, LookupTable senderRelayhosts,
                  String relayhost, String defaultTransport) {
        this.localDomains = localDomains;
        this.transportMaps = transportMaps;
        this.senderRelayhosts = senderRelayhosts;
        this.relayhost = relayhost == null ? "" : relayhost.trim();
        this.defaultTransport = defaultTransport;
    }

    public static Router fromSettings(Settings s, LocalDomains localDomains) {
        return new Router(localDomains,
            LookupTables.forParameter("transport_maps", s.getString("transport_maps"), s.configDirectory()),
            LookupTables.forParameter("sender_dependent_relayhost_maps", s.getString("sender_dependent_relayhost_maps"), s.configDirectory()),
            s.getString("relayhost"), s.getString("default_transport"));
    }

    /** @throws LookupException when a table cannot answer: the caller defers, as Postfix does on a table lookup problem */
    public Route route(String recipient, String sender) throws LookupException {
        String domain = domainOf(recipient);
        Optional<String> mapped = transportMaps.lookup(recipient);
        if (mapped.isEmpty() && !domain.isEmpty()) {
            mapped = transportMaps.lookup(domain);
            for (String parent = domain; mapped.isEmpty() && parent.indexOf('.') > 0; ) {
                parent = parent.substring(parent.indexOf('.') + 1);
                mapped = transportMaps.lookup("." + parent);
            }
        }
        if (mapped.isEmpty()) {
            mapped = transportMaps.lookup("*");
        }
        if (mapped.isPresent()) {
            Route r = Route.parse(mapped.get(), domain);
            if (r.transport().isEmpty()) {
                // "domain :[host]" keeps the default transport and changes only the next hop (transport(5)).
                r = new Route(isLocal(domain) ? "local" : defaultTransport, r.nexthop());
            }
            return r;
        }
        if (isLocal(domain)) {
            return new Route("local", domain);
        }
        Optional<String> bySender = Optional.empty();
        if (sender != null && !sender.isEmpty()) {
            bySender = senderRelayhosts.lookup(sender);
            if (bySender.isEmpty()) {
                bySender = senderRelayhosts.lookup("@" + domainOf(sender));
            }
        }
        if (bySender.isPresent()) {
            return Route.parse(defaultTransport + ":" + bySender.get(), domain);
        }
        if (!relayhost.isEmpty()) {
            return new Route(defaultTransport, relayhost);
        }
        return new Route(defaultTransport, domain);
    }

    private boolean isLocal(String domain) {
        return !domain.isEmpty() && localDomains.isLocalDomain(domain);
    }

    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
