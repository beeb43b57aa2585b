package org.mailserver.core.server;

import org.mailserver.core.config.Settings;

/**
 * A part of the daemon with a lifecycle (the auth layer, the mail store, the queue manager...),
 * discovered through {@code META-INF/services/org.mailserver.core.server.DaemonModule}. Modules start
 * in ascending {@link #order()} before any listener accepts a connection, and stop in reverse order
 * after the listeners have drained.
 */
public interface DaemonModule {

    /** Start order: lower first. Auth 100, store 200, queue 300, delivery 400. */
    int order();

    /** Creates this module's services and registers them. Fails start-up by throwing. */
    void start(Settings settings, Services services) throws Exception;

    /** Applies a new configuration; throw to refuse it (the old one keeps serving). */
    default void reload(Settings settings, Services services) throws Exception {
    }

    /** Stops background work; called once, after the listeners have stopped. */
    default void stop() {
    }
}
