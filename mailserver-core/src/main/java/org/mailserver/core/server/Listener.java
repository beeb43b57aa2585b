package org.mailserver.core.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One master.cf line, bound: its server channels (one per resolved address) and the pipeline set-up of
 * every accepted connection, in this order: admission by {@link ConnectionLimiter}, the TLS handler
 * first when in wrapper mode, idle timeout, then the protocol's {@link ProtocolHandlerFactory} (or the
 * {@link PlaceholderHandler}). Accepted connections join the group's channel group so stop can drain them.
 */
final class Listener {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final ServiceListenerContext context;
    private final List<SocketAddress> addresses;
    private final ProtocolHandlerFactory factory;
    private final ConnectionLimiter limiter = new ConnectionLimiter();
    private final List<Channel> serverChannels = new ArrayList<>();

    Listener(ServiceListenerContext context, List<SocketAddress> addresses, ProtocolHandlerFactory factory) {
        this.context = context;
        this.addresses = List.copyOf(addresses);
        this.factory = factory;
    }

    ServiceListenerContext context() {
        return context;
    }

    List<SocketAddress> addresses() {
        return addresses;
    }

    /** Binds every address; on failure unbinds what it bound and throws. */
    void bind(EventLoops loops, ChannelGroup connections) throws IOException {
        try {
            for (SocketAddress address : addresses) {
                if (address instanceof UnixDomainSocketAddress unix) {
                    Files.deleteIfExists(unix.getPath()); // a stale socket from an unclean stop
                    Files.createDirectories(unix.getPath().toAbsolutePath().getParent());
                }
                Channel channel = loops.serverBootstrap(address)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accept(ch, connections);
                        }
                    })
                    .bind(loops.bindable(address)).syncUninterruptibly().channel();
                serverChannels.add(channel);
                if (address instanceof UnixDomainSocketAddress unix) {
                    UnixSocketPermissions.apply(unix.getPath(), context.settings());
                }
                log.info("{} ({}) listening on {}{}", context.serviceName(), context.protocol(), SocketAddresses.describe(channel.localAddress()),
                    context.implicitTls() ? ", implicit TLS" : "");
            }
        } catch (RuntimeException | IOException e) {
            close();
            throw new IOException(context.serviceName() + ": cannot listen on " + addresses + ": " + e.getMessage(), e);
        }
    }

    private void accept(Channel ch, ChannelGroup connections) {
        ServiceListenerContext.Configured now = context.configured();
        switch (limiter.admit(ch, now.limits())) {
            case TOO_MANY -> {
                log.warn("{}: too many connections ({}), refusing {}", context.serviceName(),
                    now.limits().maxConnections(), ch.remoteAddress());
                refuse(ch, now, now.refusals().tooManyConnections());
                return;
            }
            case TOO_MANY_FROM_IP -> {
                String ip = ClientAddress.ip(ch);
                log.warn("{}: too many connections from {}", context.serviceName(), ip);
                refuse(ch, now, now.refusals().tooManyFrom(ip));
                return;
            }
            case ACCEPTED -> { }
        }
        connections.add(ch);
        ch.attr(ListenerGroup.REFUSALS).set(now.refusals());
        if (now.implicitTls()) {
            ch.pipeline().addLast("tls", now.tls().newServerHandler(ch.alloc()));
            ch.pipeline().addLast("tls-write-gate", new TlsWriteGate());
        }
        long idle = now.limits().idleTimeout().toMillis();
        ch.pipeline().addLast("idle-state", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("idle-timeout", new IdleTimeoutHandler(now.refusals(), now.implicitTls()));
        if (factory != null) {
            factory.initChannel(ch, context);
        } else {
            ch.pipeline().addLast("placeholder", new PlaceholderHandler(now.refusals().unavailable(), now.implicitTls()));
        }
    }

    /** Plain-text listeners hear why; implicit-TLS ones are just closed (no plain text before the handshake). */
    private static void refuse(Channel ch, ServiceListenerContext.Configured now, io.netty.buffer.ByteBuf line) {
        if (now.implicitTls()) {
            line.release();
            ch.close();
        } else {
            ch.writeAndFlush(line).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Open connections of this listener. */
    int openConnections() {
        return limiter.open();
    }

    /** The bound local addresses (with the real port when bound to port 0). */
    List<SocketAddress> boundAddresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (Channel c : serverChannels) {
            out.add(c.localAddress());
        }
        return out;
    }

    /** Stops accepting; established connections go on. Removes unix socket files. */
    void close() {
        for (Channel c : serverChannels) {
            c.close().syncUninterruptibly();
        }
        serverChannels.clear();
        for (SocketAddress address : addresses) {
            if (address instanceof UnixDomainSocketAddress unix) {
                try {
                    Files.deleteIfExists(unix.getPath());
                } catch (IOException e) {
                    log.debug("cannot remove {}: {}", unix.getPath(), e.toString());
                }
            }
        }
    }

}
