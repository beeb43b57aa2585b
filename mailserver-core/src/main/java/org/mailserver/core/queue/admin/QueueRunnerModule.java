package org.mailserver.core.queue.admin;

import org.mailserver.core.config.Settings;
import org.mailserver.core.queue.QueueManager;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;

/**
 * Daemon module, order 900: starts the queue manager (recovery of active/ and deferred/, then the
 * periodic queue runs) after every delivery agent has registered; being last to start it is first to
 * stop, so no delivery is started after an agent went away.
 */
public final class QueueRunnerModule implements DaemonModule {
    private QueueManager manager;

    @Override
    public int order() {
        return 900;
    }

    @Override
    public void start(Settings settings, Services services) throws Exception {
        manager = services.require(QueueManager.class);
        manager.start();
    }

    @Override
    public void stop() {
        if (manager != null) {
            manager.stop();
        }
    }
}
