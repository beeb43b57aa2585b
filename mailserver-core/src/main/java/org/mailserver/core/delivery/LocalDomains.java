package org.mailserver.core.delivery;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailserver.core.config.Settings;

/**
 * Decides whether a domain is delivered locally (to the mail store). The default reads
 * {@code mydestination} and {@code virtual_mailbox_domains}; the SMTP helper's address layer may
 * register a richer one in the daemon services, which the queue module then uses instead.
 */
@FunctionalInterface
public interface LocalDomains {

    boolean isLocal(String domain);

    static LocalDomains fromSettings(Settings settings) {
        Set<String> domains = new HashSet<>();
        for (String name : List.of("mydestination", "virtual_mailbox_domains")) {
            for (String d : settings.getList(name)) {
                domains.add(d.toLowerCase(Locale.ROOT));
            }
        }
        return domain -> domain != null && domains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
