package org.mailserver.imap.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.mailserver.imap.session.ImapSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects a channel's events to its {@link ImapSession}: greeting on activation, requests, close, errors. */
final class ImapChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ImapChannelHandler.class);
    private final ImapSession session;
    private final NettyImapTransport transport;

    ImapChannelHandler(ImapSession session, NettyImapTransport transport) {
        this.session = session;
        this.transport = transport;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        transport.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session.start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof org.mailserver.imap.codec.ImapRequest || msg instanceof org.mailserver.imap.codec.DecodeFailure) {
            session.onInput(msg);
        } else {
            io.netty.util.ReferenceCountUtil.release(msg); // raw leftovers of a replaced decoder: never commands
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        transport.writabilityChanged(); // release FETCHes waiting to write
        session.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            LOG.info("imap-login: TLS handshake failed: rip={}: {}", ctx.channel().remoteAddress(), e.cause().toString());
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("imap: connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
