package org.mailserver.core.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;

/**
 * Holds back everything written on an implicit-TLS connection until the TLS handshake has completed,
 * then releases it and removes itself. Needed because the SNI handler that sits first until the
 * ClientHello arrives passes writes through unencrypted: a protocol that greets in
 * {@code channelActive} (SMTP 220, IMAP OK) would otherwise leak its greeting in clear text and break
 * the handshake. The listener framework installs it right after the TLS handler in wrapper mode, so
 * protocols write their greeting the same way on every listener. A failed handshake fails the held
 * writes.
 */
public final class TlsWriteGate extends ChannelDuplexHandler {
    private PendingWriteQueue pending;
    private boolean flushRequested;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        pending = new PendingWriteQueue(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        pending.add(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        flushRequested = true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                pending.removeAndWriteAll();
                if (flushRequested) {
                    ctx.flush();
                }
            } else {
                pending.removeAndFailAll(new SSLException("TLS handshake failed", done.cause()));
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pending.removeAndFailAll(new SSLException("connection closed before the TLS handshake completed"));
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!pending.isEmpty()) {
            pending.removeAndWriteAll();
            ctx.flush();
        }
    }
}
