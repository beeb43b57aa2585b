package org.mailserver.core.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Closes a connection on which nothing was read or written for the listener's idle timeout (fired by
 * the {@link io.netty.handler.timeout.IdleStateHandler} before it), saying why in the protocol's words.
 * On an implicit-TLS connection whose handshake never finished it closes silently: plain text there
 * would only confuse the peer.
 */
final class IdleTimeoutHandler extends ChannelInboundHandlerAdapter {
    private final Refusals refusals;
    private boolean canWrite;

    IdleTimeoutHandler(Refusals refusals, boolean implicitTls) {
        this.refusals = refusals;
        this.canWrite = !implicitTls;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            canWrite = true;
        }
        if (event instanceof IdleStateEvent) {
            if (canWrite) {
                ctx.writeAndFlush(refusals.idle()).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
