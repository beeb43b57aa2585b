package org.mailserver.core.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's shared services, registered by type by {@link DaemonModule}s at start-up
 * (the auth service, the mail store, the queue, ...) and looked up by protocol sessions.
 * A small typed map rather than a dependency-injection container: the wiring stays readable.
 */
public final class Services {
    private final Map<Class<?>, Object> byType = new ConcurrentHashMap<>();

    public <T> void register(Class<T> type, T instance) {
        byType.put(type, type.cast(instance));
    }

    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(type.cast(byType.get(type)));
    }

    public <T> T require(Class<T> type) {
        return find(type).orElseThrow(() -> new IllegalStateException("no service registered for " + type.getName()));
    }
}
