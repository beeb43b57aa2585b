package org.mailserver.core.delivery;

import org.mailserver.core.config.Settings;

/**
 * Decides whether a domain is delivered locally (to the mail store), for the {@link Router}. The
 * default is the shared {@link org.mailserver.core.address.LocalDomains} (mydestination and
 * virtual_mailbox_domains), the same predicate SMTP's reject_unauth_destination uses.
 */
@FunctionalInterface
public interface LocalDomains {

    boolean isLocal(String domain);

    static LocalDomains fromSettings(Settings settings) {
        org.mailserver.core.address.LocalDomains domains = org.mailserver.core.address.LocalDomains.fromSettings(settings);
        return domain -> domain != null && !domain.isEmpty() && domains.isLocalDomain(domain);
    }
}
