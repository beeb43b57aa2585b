package org.mailserver.smtp.outbound;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * {@link SmtpTransport} over a Netty channel: {@link SmtpReplyDecoder} turns bytes into replies on the
 * event loop, which hands them to the delivery worker through a queue; the worker (never the event loop)
 * waits for each reply with its phase's deadline. STARTTLS puts an {@link SslHandler} in front of the
 * decoder. Writes wait for completion, which gives the DATA stream its back-pressure.
 */
final class NettySmtpTransport implements SmtpTransport {
    private static final Object CLOSED = new Object();
    private static final int CHUNK = 64 * 1024;

    private final Channel channel;
    private final BlockingQueue<Object> inbox;
    private final int port;
    private final String peer;

    private NettySmtpTransport(Channel channel, BlockingQueue<Object> inbox, SocketAddress address, String hostName) {
        this.channel = channel;
        this.inbox = inbox;
        if (address instanceof InetSocketAddress inet) {
            this.port = inet.getPort();
            this.peer = hostName + "[" + inet.getAddress().getHostAddress() + "]:" + inet.getPort();
        } else {
            this.port = 0;
            this.peer = hostName;
        }
    }

    /** Connects over TCP ({@link InetSocketAddress}) or a unix-domain socket ({@link UnixDomainSocketAddress}). */
    static NettySmtpTransport connect(EventLoopGroup group, SocketAddress address, String hostName, Duration timeout)
        throws IOException {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        boolean unix = address instanceof UnixDomainSocketAddress;
        Bootstrap b = new Bootstrap().group(group)
            .channel(unix ? NioDomainSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("replies", new SmtpReplyDecoder());
                    ch.pipeline().addLast("inbox", new Inbox(inbox));
                }
            });
        if (!unix) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture f = b.connect(address);
        if (!f.awaitUninterruptibly(millis + 1000L) || !f.isSuccess()) {
            f.channel().close();
            Throwable cause = f.cause();
            // Netty appends ": /ip:port" to connect errors; the caller names the peer already.
            throw new IOException(cause == null ? "connection timed out" : message(cause).replaceFirst(": /\\S+$", ""), cause);
        }
        return new NettySmtpTransport(f.channel(), inbox, address, hostName);
    }

    /** Moves decoded replies, failures and the close event from the event loop to the waiting worker. */
    private static final class Inbox extends SimpleChannelInboundHandler<SmtpReply> {
        private final BlockingQueue<Object> inbox;

        Inbox(BlockingQueue<Object> inbox) {
            this.inbox = inbox;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SmtpReply reply) {
            inbox.add(reply);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            inbox.add(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbox.add(CLOSED);
        }
    }

    @Override
    public SmtpReply read(Duration timeout) throws IOException {
        Object o;
        try {
            o = inbox.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (o == null) {
            throw new SocketTimeoutException("conversation with " + peer + " timed out");
        }
        if (o instanceof SmtpReply r) {
            return r;
        }
        if (o instanceof Throwable t) {
            inbox.add(CLOSED);
            throw new IOException("conversation with " + peer + " failed: " + message(t), t);
        }
        inbox.add(CLOSED);
        throw new IOException("lost connection with " + peer);
    }

    @Override
    public void send(String... lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        write(Unpooled.copiedBuffer(b, StandardCharsets.UTF_8));
    }

    @Override
    public long sendData(InputStream content) throws IOException {
        byte[] in = new byte[CHUNK];
        long n = 0;
        boolean lineStart = true;
        int last = -1;
        int read;
        while ((read = content.read(in)) > 0) {
            ByteBuf out = Unpooled.buffer(read + read / 32 + 8);
            for (int i = 0; i < read; i++) {
                byte c = in[i];
                // RFC 5321 4.5.2: a line starting with "." gets one more ".".
                if (lineStart && c == '.') {
                    out.writeByte('.');
                }
                out.writeByte(c);
                lineStart = c == '\n';
                last = c;
            }
            n += read;
            write(out);
        }
        ByteBuf end = Unpooled.buffer(5);
        if (n > 0 && last != '\n') {
            end.writeBytes(new byte[] {'\r', '\n'});
        }
        end.writeBytes(new byte[] {'.', '\r', '\n'});
        write(end);
        return n;
    }

    @Override
    public void sendChunk(InputStream content, long size) throws IOException {
        write(Unpooled.copiedBuffer("BDAT " + size + " LAST\r\n", StandardCharsets.US_ASCII));
        byte[] in = new byte[CHUNK];
        long sent = 0;
        int read;
        while ((read = content.read(in)) > 0) {
            write(Unpooled.copiedBuffer(in, 0, read));
            sent += read;
        }
        if (sent != size) {
            // The declared chunk size is a promise to the server; breaking it desynchronises the session.
            channel.close();
            throw new IOException("message content is " + sent + " bytes, not the " + size + " announced");
        }
    }

    private void write(ByteBuf buf) throws IOException {
        ChannelFuture f = channel.writeAndFlush(buf).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("lost connection with " + peer + ": " + message(f.cause()), f.cause());
        }
    }

    @Override
    public TlsOutcome startTls(String peerName, TlsPolicy policy) throws IOException {
        TlsPolicy.Context ctx;
        try {
            ctx = policy.newContext();
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
        SSLEngine engine = ctx.ssl().createSSLEngine(peerName, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        // The name check of verify/secure (RFC 6125), and SNI so the server can pick its certificate.
        params.setEndpointIdentificationAlgorithm("HTTPS");
        try {
            params.setServerNames(List.of(new SNIHostName(peerName)));
        } catch (IllegalArgumentException e) {
            // an address literal: no SNI
        }
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        engine.setSSLParameters(params);
        SslHandler tls = new SslHandler(engine);
        tls.setHandshakeTimeoutMillis(60_000);
        channel.pipeline().addFirst("tls", tls);
        Future<Channel> done = tls.handshakeFuture().awaitUninterruptibly();
        if (!done.isSuccess()) {
            throw new IOException(message(done.cause()), done.cause());
        }
        return ctx.outcome()[0];
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The most telling message in a cause chain (TLS wraps the certificate verdict several times). */
    private static String message(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException && c.getMessage() != null) {
                return c.getMessage();
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                return c.getMessage();
            }
        }
        return t.getClass().getSimpleName();
    }
}
