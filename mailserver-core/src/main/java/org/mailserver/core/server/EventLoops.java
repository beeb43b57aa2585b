package org.mailserver.core.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.Version;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one network event-loop group every listener shares, sized for a small VPS. Uses the native
 * epoll transport when its jar (an optional dependency) is on the class path and loads on this
 * system, NIO otherwise; unix-domain sockets work with both (NIO through JDK 16+ channels).
 */
public final class EventLoops implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    private final EventLoopGroup group;
    private final boolean epoll;

    private EventLoops(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** A group of {@code threads} event loops; 0 or less means {@link #defaultThreads()}. */
    public static EventLoops create(int threads) {
        int n = threads > 0 ? threads : defaultThreads();
        if (epollAvailable()) {
            log.info("network: epoll transport, {} event loop threads", n);
            return new EventLoops(new MultiThreadIoEventLoopGroup(n, EpollIoHandler.newFactory()), true);
        }
        log.info("network: NIO transport, {} event loop threads", n);
        return new EventLoops(new MultiThreadIoEventLoopGroup(n, NioIoHandler.newFactory()), false);
    }

    /**
     * Four per CPU core: an event loop encrypts and decrypts TLS for every connection it serves, so with one
     * per core a short command waits behind the encryption of other sessions' large responses; the OS shares
     * the cores between more threads in smaller turns (as it does between Dovecot's process per connection).
     */
    public static int defaultThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * False when the epoll jar is absent, its native library does not load here, or the native library
     * comes from another Netty release than the Java classes: the JNI methods differ between releases
     * (a 4.2.18 library under 4.2.20 classes fails with UnsatisfiedLinkError on the first bind error).
     */
    private static boolean epollAvailable() {
        try {
            Map<String, Version> versions = Version.identify();
            Version classes = versions.get("netty-transport-classes-epoll");
            Version library = versions.get("netty-transport-native-epoll");
            if (classes == null || library == null) {
                log.info("network: the epoll transport is not on the class path");
                return false;
            }
            if (!classes.artifactVersion().equals(library.artifactVersion())) {
                // the build pins both to one release (pom.xml, netty.version): this is a class path put together by hand
                log.warn("network: epoll native library {} does not match the Netty classes {}, not using it",
                    library.artifactVersion(), classes.artifactVersion());
                return false;
            }
            return Epoll.isAvailable();
        } catch (LinkageError e) { // optional jar not on the class path
            return false;
        }
    }

    public EventLoopGroup group() {
        return group;
    }

    public boolean epoll() {
        return epoll;
    }

    /** A bootstrap on the shared group with the server channel type that fits the address. */
    public ServerBootstrap serverBootstrap(SocketAddress address) {
        boolean unix = address instanceof UnixDomainSocketAddress;
        Class<? extends ServerChannel> type;
        if (epoll) {
            type = unix ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class;
        } else {
            type = unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
        }
        return new ServerBootstrap().group(group).channel(type);
    }

    /** The address in the form the transport binds: epoll wants Netty's own DomainSocketAddress. */
    public SocketAddress bindable(SocketAddress address) {
        if (epoll && address instanceof UnixDomainSocketAddress unix) {
            return new DomainSocketAddress(unix.getPath().toString());
        }
        return address;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
