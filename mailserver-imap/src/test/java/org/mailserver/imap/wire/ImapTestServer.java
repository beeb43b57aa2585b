package org.mailserver.imap.wire;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.EventLoops;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.core.server.Services;
import org.mailserver.core.tls.TlsProvider;
import org.mailserver.imap.ImapConfig;
import org.mailserver.imap.netty.ImapPipeline;
import org.mailserver.imap.session.ServerResources;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/**
 * An IMAP server on 127.0.0.1 and an ephemeral port for wire tests: the real pipeline and session, the
 * in-memory store (or another provider), a fixed user table and a self-signed certificate.
 */
public final class ImapTestServer implements AutoCloseable {
    static final SslContext SERVER_SSL;
    /** The self-signed certificate (PEM file) the server presents, for clients that must trust it (mbsync). */
    public static final java.io.File CERTIFICATE;
    /** The daemon's own event loops: the native epoll transport where it loads, as in production. */
    private final EventLoops loops = EventLoops.create(2);
    private final ExecutorService blocking = Executors.newFixedThreadPool(4);
    private final Channel serverChannel;
    final Services services = new Services();
    final MailStoreProvider store;

    static {
        try {
            SelfSignedCertificate cert = new SelfSignedCertificate("localhost", "EC", 256);
            SERVER_SSL = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
            CERTIFICATE = cert.certificate();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public ImapTestServer() throws Exception {
        this(new InMemoryMailStoreProvider(), Map.of(), false, false);
    }

    public ImapTestServer(MailStoreProvider store, Map<String, String> settings, boolean implicitTls, boolean allowPlaintext)
        throws Exception {
        this(store, settings, implicitTls, allowPlaintext, c -> c);
    }

    public ImapTestServer(MailStoreProvider store, Map<String, String> settings, boolean implicitTls, boolean allowPlaintext,
                   java.util.function.UnaryOperator<ImapConfig> tweak) throws Exception {
        this(store, settings, implicitTls, allowPlaintext, tweak, ServerResources.load());
    }

    public ImapTestServer(MailStoreProvider store, Map<String, String> settings, boolean implicitTls, boolean allowPlaintext,
                   java.util.function.UnaryOperator<ImapConfig> tweak, ServerResources resources) throws Exception {
        this.store = store;
        services.register(MailStoreProvider.class, store);
        services.register(AuthService.class, new TestAuthService(Map.of("alice", "secret", "bob", "hunter2"), allowPlaintext));
        Settings s = Settings.of(new HashMap<>(settings));
        TlsProvider tls = new TlsProvider() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public ChannelHandler newServerHandler(ByteBufAllocator allocator) {
                return SERVER_SSL.newHandler(allocator);
            }
        };
        ListenerContext ctx = new ListenerContext() {
            public String serviceName() { return implicitTls ? "imaps" : "imap"; }
            public String protocol() { return "imap"; }
            public Settings settings() { return s; }
            public TlsProvider tls() { return tls; }
            public boolean implicitTls() { return implicitTls; }
            public Services services() { return services; }
            public Executor blockingExecutor() { return blocking; }
        };
        ImapConfig config = tweak.apply(ImapConfig.from(s));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        serverChannel = loops.serverBootstrap(address)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    if (implicitTls) {
                        ch.pipeline().addLast("tls", tls.newServerHandler(ch.alloc()));
                    }
                    ImapPipeline.install(ch, ctx, config, resources);
                }
            })
            .bind(address).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        loops.close();
        blocking.shutdownNow();
    }
}
