package org.mailserver.storage.delivery;

import org.mailserver.core.auth.AuthService;
import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daemon module, order 400: registers the {@code local} transport with the queue's {@link DeliveryAgents},
 * over the {@link LocalDelivery} and {@link AuthService} registered earlier by the storage and auth modules.
 * Without them local mail stays deferred ("mail transport unavailable") and a warning says why.
 */
public final class LocalDeliveryModule implements DaemonModule {
    private static final Logger log = LoggerFactory.getLogger(LocalDeliveryModule.class);

    @Override
    public int order() {
        return 400;
    }

    @Override
    public void start(Settings settings, Services services) {
        var agents = services.find(DeliveryAgents.class);
        var delivery = services.find(LocalDelivery.class);
        var auth = services.find(AuthService.class);
        if (agents.isEmpty()) {
            return;
        }
        if (delivery.isEmpty() || auth.isEmpty()) {
            log.warn("local delivery disabled: no {} registered; local mail stays deferred",
                delivery.isEmpty() ? "LocalDelivery" : "AuthService");
            return;
        }
        DeliveredCheck check = services.find(MailStoreProvider.class)
            .<DeliveredCheck>map(MailStoreDeliveredCheck::new).orElse(DeliveredCheck.NONE);
        org.mailserver.core.address.LocalDomains domains = org.mailserver.core.address.LocalDomains.fromSettings(settings);
        agents.get().register(new LocalDeliveryAgent(delivery.get(), auth.get(), check, settings.getString("recipient_delimiter"),
            domains::isMyDestination));
    }
}
