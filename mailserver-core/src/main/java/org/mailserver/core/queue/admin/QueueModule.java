package org.mailserver.core.queue.admin;

import java.time.Clock;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.delivery.Router;
import org.mailserver.core.queue.FileMessageQueue;
import org.mailserver.core.queue.MessageQueue;
import org.mailserver.core.queue.QueueAdmin;
import org.mailserver.core.queue.QueueManager;
import org.mailserver.core.queue.QueueManagerConfig;
import org.mailserver.core.server.ControlCommandRegistry;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;

/**
 * Daemon module, order 300: opens the queue directory and registers {@link MessageQueue} (for SMTP
 * sessions and anything else that enqueues), {@link FileMessageQueue}, {@link DeliveryAgents} (agents
 * register into it from their own modules at order 400), {@link QueueManager}/{@link QueueAdmin}, and the
 * {@code queue} control command. The manager itself starts later ({@link QueueRunnerModule}, order 900),
 * once every agent is registered, so recovered mail is never deferred for want of a transport.
 */
public final class QueueModule implements DaemonModule {
    private QueueManager manager;

    @Override
    public int order() {
        return 300;
    }

    @Override
    public void start(Settings settings, Services services) throws Exception {
        FileMessageQueue queue = new FileMessageQueue(settings.getPath("queue_directory"));
        DeliveryAgents agents = new DeliveryAgents();
        manager = new QueueManager(queue, agents, router(settings, services), QueueManagerConfig.from(settings), Clock.systemUTC());
        services.register(MessageQueue.class, queue);
        services.register(FileMessageQueue.class, queue);
        services.register(DeliveryAgents.class, agents);
        services.register(QueueManager.class, manager);
        services.register(QueueAdmin.class, manager.admin());
        services.find(ControlCommandRegistry.class).ifPresent(r -> r.register("queue", args -> QueueRequest.run(manager.admin(), args)));
    }

    @Override
    public void reload(Settings settings, Services services) {
        QueueManagerConfig config = QueueManagerConfig.from(settings);
        Router router = router(settings, services);
        manager.setRouter(router);
        manager.reconfigure(config);
    }

    private static Router router(Settings settings, Services services) {
        return Router.fromSettings(settings, LocalDomains.fromSettings(settings));
    }
}
