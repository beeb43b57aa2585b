package org.mailserver.smtp.outbound;

import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;

/**
 * Daemon module, order 400: registers the {@code smtp} and {@code lmtp} transports with the queue's
 * {@link DeliveryAgents}; closes cached connections at stop.
 */
public final class OutboundModule implements DaemonModule {
    private SmtpDeliveryAgent smtp;
    private SmtpDeliveryAgent lmtp;

    @Override
    public int order() {
        return 400;
    }

    @Override
    public void start(Settings settings, Services services) throws Exception {
        var agents = services.find(DeliveryAgents.class);
        if (agents.isEmpty()) {
            return;
        }
        smtp = SmtpDeliveryAgent.smtp(settings);
        lmtp = SmtpDeliveryAgent.lmtp(settings);
        agents.get().register(smtp);
        agents.get().register(lmtp);
    }

    @Override
    public void reload(Settings settings, Services services) throws Exception {
        var agents = services.find(DeliveryAgents.class);
        if (agents.isPresent()) {
            SmtpDeliveryAgent newSmtp = SmtpDeliveryAgent.smtp(settings);
            SmtpDeliveryAgent newLmtp = SmtpDeliveryAgent.lmtp(settings);
            agents.get().register(newSmtp);
            agents.get().register(newLmtp);
            stop();
            smtp = newSmtp;
            lmtp = newLmtp;
        }
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.stop();
        }
        if (lmtp != null) {
            lmtp.stop();
        }
    }
}
