package org.mailserver.core.daemon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.core.server.ProtocolHandlerFactory;
import org.mailserver.core.server.ShutdownEvent;

/**
 * A stand-in protocol for daemon tests: greets with "220 myhostname" (from the settings at connect
 * time), answers every line with "250 ok", QUIT with "221" and close, and on shutdown "421" and close.
 */
final class EchoProtocol implements ProtocolHandlerFactory {
    private final boolean honoursShutdown;

    EchoProtocol() {
        this(true);
    }

    /** With false, ignores {@link ShutdownEvent}, like a session stuck in a long command. */
    EchoProtocol(boolean honoursShutdown) {
        this.honoursShutdown = honoursShutdown;
    }

    @Override
    public String protocol() {
        return "smtp";
    }

    @Override
    public void initChannel(Channel channel, ListenerContext context) {
        String host = context.settings().getString("myhostname");
        channel.pipeline().addLast(new LineBasedFrameDecoder(1000));
        channel.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                write(ctx, "220 " + host); // on implicit TLS too: the framework holds it until the handshake
                ctx.fireChannelActive();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ShutdownEvent.INSTANCE && honoursShutdown) {
                    ctx.writeAndFlush(buf("421 shutting down")).addListener(ChannelFutureListener.CLOSE);
                }
                ctx.fireUserEventTriggered(evt);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                String line = msg.toString(StandardCharsets.US_ASCII).trim();
                if (line.equalsIgnoreCase("QUIT")) {
                    ctx.writeAndFlush(buf("221 bye")).addListener(ChannelFutureListener.CLOSE);
                } else {
                    write(ctx, "250 ok " + context.settings().getString("myhostname"));
                }
            }
        });
    }

    private static void write(ChannelHandlerContext ctx, String line) {
        ctx.writeAndFlush(buf(line));
    }

    private static ByteBuf buf(String line) {
        return Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.US_ASCII);
    }
}
