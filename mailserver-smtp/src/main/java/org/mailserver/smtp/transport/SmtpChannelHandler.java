package org.mailserver.smtp.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mailserver.core.tls.TlsProvider;
import org.mailserver.smtp.codec.SmtpDecoder;
import org.mailserver.smtp.codec.SmtpInput;
import org.mailserver.smtp.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an SMTP/LMTP pipeline: hands decoded input to the session one item at a time,
 * pausing the decoder while a command is in progress, and keeps the per-record deadline: the timer is
 * armed whenever the session waits for input and only a complete command or piece of content resets it,
 * so a client that dribbles bytes is disconnected (Postfix smtpd_per_record_deadline).
 */
public final class SmtpChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger("org.mailserver.smtpd");

    private final SmtpDecoder decoder;
    private final TlsProvider tls;
    private final Function<SmtpTransport, SmtpSession> sessions;
    private SmtpSession session;
    private ScheduledFuture<?> deadline;
    private ChannelHandlerContext ctx;

    public SmtpChannelHandler(SmtpDecoder decoder, TlsProvider tls, Function<SmtpTransport, SmtpSession> sessions) {
        this.decoder = decoder;
        this.tls = tls;
        this.sessions = sessions;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (session != null) {
            return;
        }
        session = sessions.apply(new NettySmtpTransport(ctx.channel(), decoder, tls));
        decoder.pause();
        continueAfter(session.start());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SmtpInput input)) {
            ctx.fireChannelRead(msg);
            return;
        }
        cancelDeadline();
        CompletableFuture<Void> f = session.handle(input).toCompletableFuture();
        if (f.isDone()) {
            armDeadline(); // the decoder loop goes on with the next input, in the mode the command set
            return;
        }
        decoder.pause();
        continueAfter(f);
    }

    private void continueAfter(CompletionStage<?> stage) {
        stage.whenComplete((v, e) -> {
            if (e != null) {
                log.error("{}: unexpected failure: {}", session.client(), e.toString(), e);
            }
            if (ctx.executor().inEventLoop()) {
                proceed();
            } else {
                ctx.executor().execute(this::proceed);
            }
        });
    }

    private void proceed() {
        if (!ctx.channel().isActive()) {
            return;
        }
        armDeadline();
        decoder.resume();
    }

    private void armDeadline() {
        cancelDeadline();
        long ms = session.deadline().toMillis();
        deadline = ctx.executor().schedule(() -> {
            deadline = null;
            session.timedOut();
        }, ms, TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                session.tlsEstablished(NettySmtpTransport.tlsInfo(ctx.channel()));
            } else {
                log.info("SSL_accept error from {}: {}", session.client(), done.cause().toString());
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        if (session != null) {
            session.closed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            log.info("{}: {}", session == null ? ctx.channel().remoteAddress() : session.client(), cause.toString());
        } else {
            log.error("{}: {}", session == null ? ctx.channel().remoteAddress() : session.client(), cause.toString(), cause);
        }
        ctx.close();
    }
}
