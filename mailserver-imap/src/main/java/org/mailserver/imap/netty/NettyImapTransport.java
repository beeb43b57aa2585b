package org.mailserver.imap.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.mailserver.core.tls.TlsProvider;
import org.mailserver.imap.codec.ImapRequestDecoder;
import org.mailserver.imap.session.ImapTransport;

/**
 * The Netty side of {@link ImapTransport}. Pipeline, head to tail: [TLS] [deflate decoder, deflate encoder]
 * {@value #DECODER} {@value #SESSION}. STARTTLS installs the TLS handler once the OK is on the wire and replaces
 * the decoder so that bytes the client pipelined in plaintext are discarded (the classic STARTTLS command
 * injection, CVE-2011-0411). COMPRESS places the zlib codecs after TLS.
 */
public final class NettyImapTransport implements ImapTransport {
    static final String DECODER = "imap-decoder";
    static final String SESSION = "imap-session";

    private final Channel channel;
    private final TlsProvider tls;
    private final int maxLineLength;
    private final long appendLimit;
    private long bytesOut;
    private long bytesInBefore;

    NettyImapTransport(Channel channel, TlsProvider tls, int maxLineLength, long appendLimit) {
        this.channel = channel;
        this.tls = tls;
        this.maxLineLength = maxLineLength;
        this.appendLimit = appendLimit;
    }

    private ImapRequestDecoder decoder() {
        return (ImapRequestDecoder) channel.pipeline().get(DECODER);
    }

    @Override
    public void write(byte[] bytes) {
        bytesOut += bytes.length;
        channel.write(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void startTls(Runnable onStarted) {
        ChannelPipeline p = channel.pipeline();
        ImapRequestDecoder old = decoder();
        // ByteToMessageDecoder hands leftover bytes downstream on removal: drop them, they are pipelined plaintext
        old.discardBuffered();
        bytesInBefore += old.bytesIn();
        ImapRequestDecoder fresh = new ImapRequestDecoder(maxLineLength, appendLimit); // STARTTLS is pre-login only
        p.replace(DECODER, DECODER, fresh); // drops whatever plaintext was buffered after STARTTLS
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            p.addFirst("tls", tls.newServerHandler(channel.alloc()));
            onStarted.run();
        });
    }

    @Override
    public void startCompression() {
        ChannelPipeline p = channel.pipeline();
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            // RFC 4978 3: raw DEFLATE (no zlib header) in both directions, after TLS
            p.addBefore(DECODER, "inflate", ZlibCodecFactory.newZlibDecoder(ZlibWrapper.NONE));
            p.addBefore(DECODER, "deflate", ZlibCodecFactory.newZlibEncoder(ZlibWrapper.NONE));
        });
    }

    @Override
    public boolean secured() {
        return channel.pipeline().get(SslHandler.class) != null || channel.pipeline().get("tls") != null;
    }

    @Override
    public String tlsDescription() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null || ssl.engine().getSession() == null) {
            return "TLS";
        }
        return "TLS: " + ssl.engine().getSession().getProtocol() + " with cipher " + ssl.engine().getSession().getCipherSuite();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public Executor eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
        return channel.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void setReading(boolean reading) {
        channel.config().setAutoRead(reading);
    }

    @Override
    public long bytesIn() {
        ImapRequestDecoder d = decoder();
        return bytesInBefore + (d == null ? 0 : d.bytesIn());
    }

    private final java.util.ArrayDeque<Runnable> waitingForWritable = new java.util.ArrayDeque<>();

    @Override
    public void whenWritable(Runnable task) {
        channel.eventLoop().execute(() -> {
            if (channel.isWritable() || !channel.isActive()) {
                task.run();
            } else {
                waitingForWritable.add(task);
            }
        });
    }

    /** Called by the channel handler on writability changes and on close. */
    void writabilityChanged() {
        while (!waitingForWritable.isEmpty() && (channel.isWritable() || !channel.isActive())) {
            waitingForWritable.poll().run();
        }
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        ImapRequestDecoder d = decoder();
        if (d != null) {
            d.setAuthenticated(authenticated);
        }
    }
}
