package org.mailserver.smtp.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.config.Settings;
import org.mailserver.core.queue.MessageQueue;
import org.mailserver.core.server.EventLoops;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.core.server.ProtocolHandlerFactory;
import org.mailserver.core.server.Services;
import org.mailserver.core.tls.ServerTls;
import org.mailserver.core.tls.TlsConfig;
import org.mailserver.core.tls.TlsLibrary;
import org.mailserver.core.tls.TlsProvider;
import org.mailserver.smtp.SmtpProtocolHandlerFactory;
import org.mailserver.smtp.policy.DnsChecker;

/**
 * A listener for wire tests: a Netty server on 127.0.0.1:0 that calls a {@link ProtocolHandlerFactory}
 * as the daemon's listener framework would, with a recording queue, a fake auth service, fake DNS and a
 * self-signed certificate. Loopback is NOT in mynetworks by default, so the tests see a stranger's view.
 */
public final class TestServer implements AutoCloseable {
    private static SelfSignedCertificate cert;

    public final RecordingQueue queue = new RecordingQueue();
    public final FakeAuth auth = new FakeAuth().user("alice@example.com", "secret").user("bob@example.com", "hunter2");
    public final FakeDns dns = new FakeDns();
    public final Services services = new Services();
    /** The daemon's own event loops: the native epoll transport where it loads, as in production. */
    private final EventLoops loops = EventLoops.create(1);
    private final ExecutorService blocking = Executors.newFixedThreadPool(4);
    private final Channel server;

    public static Map<String, String> defaults() {
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mx.example.org");
        m.put("mydestination", "$myhostname, localhost");
        m.put("virtual_mailbox_domains", "example.com");
        m.put("mynetworks", "192.0.2.0/24");
        m.put("smtpd_peername_lookup", "no");
        return m;
    }

    /** The MX role ({@code smtp} service, no implicit TLS) with {@link #defaults()} and the given overrides. */
    public static TestServer smtp(Map<String, String> overrides) {
        Map<String, String> s = defaults();
        s.putAll(overrides);
        return new TestServer(new SmtpProtocolHandlerFactory(), "smtp", false, s);
    }

    public TestServer(ProtocolHandlerFactory factory, String serviceName, boolean implicitTls, Map<String, String> settings) {
        this(factory, serviceName, implicitTls, settings, null);
    }

    /** With {@code unixSocket} set, listens on that unix-domain socket instead of TCP. */
    public TestServer(ProtocolHandlerFactory factory, String serviceName, boolean implicitTls, Map<String, String> settings,
                      java.nio.file.Path unixSocket) {
        services.register(MessageQueue.class, queue);
        services.register(AuthService.class, auth);
        services.register(DnsChecker.class, dns);
        Settings s = Settings.of(settings);
        TlsProvider tls = settings.containsKey(TlsLibrary.PARAMETER) ? serverTls(s) : tls();
        ListenerContext context = new ListenerContext() {
            @Override public String serviceName() { return serviceName; }
            @Override public String protocol() { return factory.protocol(); }
            @Override public Settings settings() { return s; }
            @Override public TlsProvider tls() { return tls; }
            @Override public boolean implicitTls() { return implicitTls; }
            @Override public Services services() { return services; }
            @Override public Executor blockingExecutor() { return blocking; }
        };
        java.net.SocketAddress address = unixSocket == null ? new InetSocketAddress("127.0.0.1", 0)
            : java.net.UnixDomainSocketAddress.of(unixSocket);
        ServerBootstrap bootstrap = loops.serverBootstrap(address)
            .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (implicitTls) {
                        ch.pipeline().addFirst("tls", tls.newServerHandler(ch.alloc()));
                        // As the daemon's Listener: ServerTls gives an SniHandler, which lets writes pass in clear
                        // until the ClientHello arrives; the gate holds the greeting until the handshake is done.
                        ch.pipeline().addAfter("tls", "tls-write-gate", new org.mailserver.core.server.TlsWriteGate());
                    }
                    factory.initChannel(ch, context);
                }
            });
        server = bootstrap.bind(loops.bindable(address)).syncUninterruptibly().channel();
    }

    private static java.nio.file.Path serverTlsDirectory;

    /**
     * The daemon's own {@link ServerTls} (its cipher list, server order, SNI handler) on the library named by the
     * settings' tls_provider, with a self-signed certificate generated once per test JVM.
     */
    private static synchronized TlsProvider serverTls(Settings settings) {
        try {
            if (serverTlsDirectory == null) {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("smtp-test-tls");
                serverTlsDirectory = dir;
                // it holds the generated certificate files: a plain deleteOnExit would leave it in /tmp
                Runtime.getRuntime().addShutdownHook(new Thread(() -> org.mailserver.storage.support.FileTrees.deleteQuietly(dir)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ServerTls(new TlsConfig(null, null, java.util.List.of(), serverTlsDirectory, "mx.example.org",
            TlsLibrary.from(settings)));
    }

    public static synchronized TlsProvider tls() {
        try {
            if (cert == null) {
                cert = new SelfSignedCertificate("mx.example.org");
            }
            SslContext ctx = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).protocols("TLSv1.3", "TLSv1.2").build();
            return new TlsProvider() {
                @Override public boolean available() { return true; }
                @Override public ChannelHandler newServerHandler(ByteBufAllocator allocator) { return ctx.newHandler(allocator); }
            };
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public SmtpClient client() {
        return SmtpClient.connect(port());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loops.close();
        blocking.shutdownNow();
    }
}
