package org.mailserver.core.delivery;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transports the queue manager can use, by name. Registered as a daemon service by the queue
 * module (with {@code error} and {@code discard}); the storage module adds {@code local}, the SMTP
 * module {@code smtp} and {@code lmtp}. A route to a transport nobody registered is deferred.
 */
public final class DeliveryAgents {
    private final Map<String, DeliveryAgent> agents = new ConcurrentHashMap<>();

    public DeliveryAgents() {
        register(new ErrorAgent());
        register(new DiscardAgent());
    }

    public void register(DeliveryAgent agent) {
        agents.put(agent.transport(), agent);
    }

    public Optional<DeliveryAgent> find(String transport) {
        return Optional.ofNullable(agents.get(transport));
    }

    public Set<String> transports() {
        return Set.copyOf(agents.keySet());
    }
}
