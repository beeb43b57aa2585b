package org.mailserver.smtp.outbound;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;

/**
 * Daemon module, order 400: registers the {@code smtp} and {@code lmtp} transports with the queue's
 * {@link DeliveryAgents}. It owns the client event loop, which outlives configuration reloads: a reload
 * registers agents with the new settings and lets deliveries in flight on the old ones finish.
 */
public final class OutboundModule implements DaemonModule {
    private EventLoopGroup group;
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
        group = SmtpDeliveryAgent.newGroup();
        register(settings, agents.get());
    }

    @Override
    public void reload(Settings settings, Services services) throws Exception {
        var agents = services.find(DeliveryAgents.class);
        if (agents.isPresent() && group != null) {
            SmtpDeliveryAgent oldSmtp = smtp;
            SmtpDeliveryAgent oldLmtp = lmtp;
            register(settings, agents.get());
            // Only idle cached connections close; deliveries running on the old agents complete.
            oldSmtp.stop();
            oldLmtp.stop();
        }
    }

    private void register(Settings settings, DeliveryAgents agents) throws Exception {
        SmtpDeliveryAgent newSmtp = SmtpDeliveryAgent.smtp(settings, group);
        SmtpDeliveryAgent newLmtp = SmtpDeliveryAgent.lmtp(settings, group);
        agents.register(newSmtp);
        agents.register(newLmtp);
        smtp = newSmtp;
        lmtp = newLmtp;
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.stop();
            lmtp.stop();
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        }
    }
}
