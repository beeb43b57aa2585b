package org.mailserver.core.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.ListenerDefinition;
import org.mailserver.core.config.Settings;
import org.mailserver.core.tls.TlsManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All listeners of the daemon, one per master.cf line. {@link #apply} installs a configuration in two
 * phases: first everything that can fail (settings, limits, certificates, addresses, binding new
 * listeners), then the swap; so a bad configuration leaves the running one untouched. Listeners whose
 * name, protocol and address are unchanged keep their sockets and connections and only get the new
 * settings (for new connections); removed ones stop accepting and let their connections finish.
 */
public final class ListenerGroup {
    private static final Logger log = LoggerFactory.getLogger(ListenerGroup.class);
    private static final Set<String> PROTOCOLS = Set.of("smtp", "lmtp", "imap");

    /** The refusal lines of the listener that accepted a connection, for the goodbye at a forced stop. */
    static final AttributeKey<Refusals> REFUSALS = AttributeKey.valueOf("mailserver.refusals");

    private final EventLoops loops;
    private final Services services;
    private final Executor blockingExecutor;
    private final Map<String, ProtocolHandlerFactory> factories;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final Map<String, Listener> listeners = new LinkedHashMap<>();

    /** A bound listener as {@code status} and tests see it. */
    public record BoundListener(String serviceName, String protocol, List<SocketAddress> addresses, boolean implicitTls,
                                int openConnections) {
    }

    public ListenerGroup(EventLoops loops, Services services, Executor blockingExecutor,
                         Map<String, ProtocolHandlerFactory> factories) {
        this.loops = loops;
        this.services = services;
        this.blockingExecutor = blockingExecutor;
        this.factories = Map.copyOf(factories);
    }

    /** The per-listener state a configuration yields, computed without touching running listeners. */
    private record Prepared(Map<String, ServiceListenerContext.Configured> configured,
                            Map<String, List<SocketAddress>> addresses) {
    }

    /**
     * Checks a configuration without applying it: protocols, settings, limits, addresses, and
     * certificates when {@code tls} is given (null skips loading them).
     */
    public static void validate(List<ListenerDefinition> specs, Settings main, TlsManager tls) {
        prepare(specs, main, tls);
    }

    private static Prepared prepare(List<ListenerDefinition> specs, Settings main, TlsManager tls) {
        Map<String, ServiceListenerContext.Configured> prepared = new LinkedHashMap<>();
        Map<String, List<SocketAddress>> addresses = new LinkedHashMap<>();
        try { // main.cf's own values first, so their errors are not blamed on the first listener
            for (String protocol : PROTOCOLS) {
                ListenerLimits.from(protocol, main);
            }
            main.getBoolean("smtpd_tls_wrappermode");
            main.getBoolean("imap_tls_wrappermode");
        } catch (ConfigException e) {
            throw new ConfigException(main.configDirectory().resolve("main.cf") + ": " + e.getMessage(), e);
        }
        for (ListenerDefinition spec : specs) {
            String where = spec.location() + ": " + spec.serviceName() + ": ";
            if (!PROTOCOLS.contains(spec.protocol())) {
                throw new ConfigException(where + "unknown protocol \"" + spec.protocol() + "\" (use smtp, lmtp or imap)");
            }
            if (prepared.containsKey(spec.serviceName())) {
                throw new ConfigException(where + "service defined twice");
            }
            try {
                prepared.put(spec.serviceName(), configure(spec, main, tls));
                addresses.put(spec.serviceName(), SocketAddresses.resolve(spec.address(), main));
            } catch (ConfigException e) {
                throw e.getMessage().startsWith(spec.file().toString()) ? e : new ConfigException(where + e.getMessage(), e);
            }
        }
        return new Prepared(prepared, addresses);
    }

    /** Validates and installs a configuration; throws (leaving the old one serving) when it cannot. */
    public synchronized void apply(List<ListenerDefinition> specs, Settings main, TlsManager tls) throws IOException {
        Prepared p = prepare(specs, main, tls);
        Map<String, ServiceListenerContext.Configured> prepared = p.configured();
        Map<String, List<SocketAddress>> addresses = p.addresses();
        List<Listener> bound = new ArrayList<>();
        Map<String, Listener> next = new LinkedHashMap<>();
        try {
            for (ListenerDefinition spec : specs) {
                Listener current = listeners.get(spec.serviceName());
                if (current != null && current.context().protocol().equals(spec.protocol())
                    && current.context().spec().address().equals(spec.address())
                    && current.addresses().equals(addresses.get(spec.serviceName()))) {
                    next.put(spec.serviceName(), current);
                    continue;
                }
                ServiceListenerContext context = new ServiceListenerContext(spec, prepared.get(spec.serviceName()),
                    services, blockingExecutor);
                Listener listener = new Listener(context, addresses.get(spec.serviceName()), factories.get(spec.protocol()));
                if (current != null) {
                    current.close(); // the same service moved: free its address before binding again
                }
                listener.bind(loops, connections);
                bound.add(listener);
                next.put(spec.serviceName(), listener);
            }
        } catch (IOException | RuntimeException e) {
            for (Listener listener : bound) {
                listener.close();
            }
            throw e;
        }
        for (ListenerDefinition spec : specs) {
            next.get(spec.serviceName()).context().update(spec, prepared.get(spec.serviceName()));
        }
        for (Map.Entry<String, Listener> old : listeners.entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) {
                old.getValue().close();
                log.info("{}: stopped listening", old.getKey());
            }
        }
        listeners.clear();
        listeners.putAll(next);
    }

    private static ServiceListenerContext.Configured configure(ListenerDefinition spec, Settings main, TlsManager tls) {
        Settings settings = spec.settings(main);
        boolean implicit = settings.getBoolean("imap".equals(spec.protocol()) ? "imap_tls_wrappermode" : "smtpd_tls_wrappermode");
        ListenerLimits limits = ListenerLimits.from(spec.protocol(), settings);
        Refusals refusals = Refusals.forProtocol(spec.protocol(), HostIdentity.myhostname(settings));
        return new ServiceListenerContext.Configured(settings, tls == null ? null : tls.provider(settings), implicit, limits, refusals);
    }

    public synchronized List<BoundListener> listeners() {
        List<BoundListener> out = new ArrayList<>();
        for (Listener l : listeners.values()) {
            out.add(new BoundListener(l.context().serviceName(), l.context().protocol(), l.boundAddresses(),
                l.context().implicitTls(), l.openConnections()));
        }
        return out;
    }

    /** Open connections across all listeners. */
    public int openConnections() {
        return connections.size();
    }

    /** Stops accepting on every listener; established connections go on. */
    public synchronized void stopAccepting() {
        for (Listener listener : listeners.values()) {
            listener.close();
        }
        listeners.clear();
    }

    /**
     * Tells every connection the daemon is stopping ({@link ShutdownEvent}), waits up to {@code grace}
     * for them to close, then closes the rest. Returns how many had to be closed forcibly.
     */
    public int drain(Duration grace) {
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE));
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int remaining = connections.size();
        if (remaining > 0) {
            log.warn("closing {} connection(s) still open after {}s", remaining, grace.toSeconds());
            for (Channel ch : connections) {
                // Written below the protocol's encoders (but inside TLS): 421 / * BYE is legal at any time.
                ChannelHandlerContext ctx = ch.pipeline().context("idle-timeout");
                Refusals refusals = ch.attr(REFUSALS).get();
                if (ctx != null && refusals != null) {
                    ch.eventLoop().execute(() -> ctx.writeAndFlush(refusals.shuttingDown()).addListener(ChannelFutureListener.CLOSE));
                } else {
                    ch.close();
                }
            }
            long closeDeadline = System.nanoTime() + 2_000_000_000L;
            while (!connections.isEmpty() && System.nanoTime() < closeDeadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            connections.close().awaitUninterruptibly(2000);
        }
        return remaining;
    }
}
