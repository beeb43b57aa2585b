package org.mailserver.smtp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@link SmtpReply}s: every line but the last as {@code code-}, the last as {@code code } (RFC 5321
 * 4.2.1), each prefixed by the enhanced status code when there is one (RFC 2034 section 4). Stateless.
 */
@ChannelHandler.Sharable
public final class SmtpReplyEncoder extends MessageToByteEncoder<SmtpReply> {

    public static final SmtpReplyEncoder INSTANCE = new SmtpReplyEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpReply reply, ByteBuf out) {
        out.writeBytes(format(reply).getBytes(StandardCharsets.UTF_8));
    }

    public static String format(SmtpReply reply) {
        StringBuilder sb = new StringBuilder();
        List<String> lines = reply.lines();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(reply.code()).append(i == lines.size() - 1 ? ' ' : '-');
            if (reply.enhanced() != null) {
                sb.append(reply.enhanced()).append(' ');
            }
            // A reply line never carries CR or LF of its own: text from tables or policy servers is cleaned.
            sb.append(lines.get(i).replace('\r', ' ').replace('\n', ' ')).append("\r\n");
        }
        return sb.toString();
    }
}
