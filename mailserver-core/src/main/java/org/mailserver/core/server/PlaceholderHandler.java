package org.mailserver.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Installed instead of a protocol when no {@link ProtocolHandlerFactory} serves the listener's
 * protocol: answers with a clean temporary refusal ({@code 421 4.3.0}, {@code * BYE}) and closes, so
 * clients retry later rather than hang. On implicit-TLS listeners it answers after the handshake.
 */
final class PlaceholderHandler extends ChannelInboundHandlerAdapter {
    private final ByteBuf reply;
    private final boolean waitForTls;
    private boolean answered;

    PlaceholderHandler(ByteBuf reply, boolean waitForTls) {
        this.reply = reply;
        this.waitForTls = waitForTls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!waitForTls) {
            answer(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!waitForTls && ctx.channel().isActive()) {
            answer(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                answer(ctx);
            } else {
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // nothing to say to what the client sends
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!answered) {
            reply.release();
            answered = true;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void answer(ChannelHandlerContext ctx) {
        if (answered) {
            return;
        }
        answered = true;
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }
}
