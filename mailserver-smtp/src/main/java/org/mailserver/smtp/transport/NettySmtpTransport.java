package org.mailserver.smtp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLSession;
import org.mailserver.core.tls.TlsProvider;
import org.mailserver.smtp.codec.SmtpDecoder;
import org.mailserver.smtp.codec.SmtpReply;

/** The Netty implementation of {@link SmtpTransport}: the only place where the session meets a Channel. */
public final class NettySmtpTransport implements SmtpTransport {
    private final Channel channel;
    private final SmtpDecoder decoder;
    private final TlsProvider tlsProvider;

    public NettySmtpTransport(Channel channel, SmtpDecoder decoder, TlsProvider tlsProvider) {
        this.channel = channel;
        this.decoder = decoder;
        this.tlsProvider = tlsProvider;
    }

    @Override
    public void reply(SmtpReply reply) {
        if (channel.isActive()) {
            channel.writeAndFlush(reply);
        }
    }

    @Override
    public void expectData() {
        decoder.expectData();
    }

    @Override
    public void expectBdat(long size) {
        decoder.expectBdat(size);
    }

    @Override
    public void expectSasl() {
        decoder.expectSasl();
    }

    @Override
    public void expectCommand() {
        decoder.expectCommand();
    }

    @Override
    public boolean hasPipelinedInput() {
        return decoder.hasBufferedInput();
    }

    @Override
    public void startTls(SmtpReply ready) {
        // Nothing the client sent before the handshake may be acted upon (RFC 3207 4.2, CVE-2011-0411).
        decoder.discardAll();
        channel.writeAndFlush(ready).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                channel.close();
                return;
            }
            ChannelHandler tls = tlsProvider.newServerHandler(channel.alloc());
            channel.pipeline().addFirst("tls", tls);
            decoder.discardBufferedAndExpectCommands();
        });
    }

    @Override
    public TlsInfo tls() {
        return tlsInfo(channel);
    }

    /** The negotiated parameters of the channel's SslHandler, or null. */
    public static TlsInfo tlsInfo(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        SSLSession s = ssl.engine().getSession();
        String cipher = s.getCipherSuite();
        // The bulk cipher's key size, as Postfix's "(128/128 bits)": from AES_128/AES_256/CHACHA20, not from the
        // hash (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 is 128 bits, not 256).
        int bits = cipher.contains("AES_256") || cipher.contains("CHACHA20") ? 256 : cipher.contains("AES_128") ? 128 : 0;
        return new TlsInfo(s.getProtocol(), cipher, bits);
    }

    @Override
    public void close(SmtpReply last) {
        decoder.discardAll();
        if (last != null && channel.isActive()) {
            channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** A unix-domain peer (LMTP from a local MTA) is shown as the loopback address, as Postfix shows "local". */
    private static final InetSocketAddress UNIX_PEER = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);

    @Override
    public InetSocketAddress remote() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a : UNIX_PEER;
    }

    @Override
    public InetSocketAddress local() {
        return channel.localAddress() instanceof InetSocketAddress a ? a : UNIX_PEER;
    }

    @Override
    public Executor eventLoop() {
        return channel.eventLoop();
    }
}
