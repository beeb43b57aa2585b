package org.mailserver.core.address;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailserver.core.config.Settings;

/**
 * The domains this server delivers to itself: {@code mydestination} (Postfix's local domain class, users
 * of the userdb by local part or full address) and {@code virtual_mailbox_domains} (hosted domains, users
 * by full address). Used by SMTP's {@code reject_unauth_destination} and by the queue manager to choose
 * local delivery. Immutable; build a new one on reload.
 */
public final class LocalDomains {
    private final Set<String> myDestination;
    private final Set<String> virtualMailbox;

    public LocalDomains(List<String> myDestination, List<String> virtualMailboxDomains) {
        this.myDestination = normalise(myDestination);
        this.virtualMailbox = normalise(virtualMailboxDomains);
    }

    public static LocalDomains fromSettings(Settings settings) {
        return new LocalDomains(settings.getList("mydestination"), settings.getList("virtual_mailbox_domains"));
    }

    private static Set<String> normalise(List<String> domains) {
        return domains.stream()
            .map(d -> d.trim().toLowerCase(Locale.ROOT))
            .map(d -> d.endsWith(".") ? d.substring(0, d.length() - 1) : d)
            .filter(d -> !d.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    }

    private static String key(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /** True for a domain delivered here (either class). */
    public boolean isLocalDomain(String domain) {
        String d = key(domain);
        return myDestination.contains(d) || virtualMailbox.contains(d);
    }

    /** True for a {@code mydestination} domain (aliases(5) apply, users may be known by local part). */
    public boolean isMyDestination(String domain) {
        return myDestination.contains(key(domain));
    }

    public boolean isVirtualMailboxDomain(String domain) {
        return virtualMailbox.contains(key(domain));
    }

    public boolean isLocal(MailAddress address) {
        return !address.domain().isEmpty() && isLocalDomain(address.domain());
    }
}
