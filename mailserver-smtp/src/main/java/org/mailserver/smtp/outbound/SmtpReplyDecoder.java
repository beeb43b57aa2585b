package org.mailserver.smtp.outbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes server replies (RFC 5321 4.2) into {@link SmtpReply} objects: lines up to CRLF (a bare LF is
 * accepted), {@code NNN-text} continuation lines gathered until {@code NNN text}. A line is limited to
 * 2000 octets and a reply to 100 lines (RFC 5321 4.5.3.1.5 allows 512; real servers send longer), so a
 * broken peer cannot exhaust memory; a malformed reply fails the connection with {@link DecoderException}.
 */
final class SmtpReplyDecoder extends ByteToMessageDecoder {
    static final int MAX_LINE = 2000;
    static final int MAX_LINES = 100;

    private final List<String> lines = new ArrayList<>();
    private int code = -1;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (eol < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    throw new DecoderException("reply line too long");
                }
                return;
            }
            int length = eol - in.readerIndex();
            if (length > MAX_LINE) {
                throw new DecoderException("reply line too long");
            }
            int textLength = length > 0 && in.getByte(eol - 1) == '\r' ? length - 1 : length;
            String line = in.toString(in.readerIndex(), textLength, StandardCharsets.UTF_8);
            in.readerIndex(eol + 1);
            SmtpReply reply = accept(line);
            if (reply != null) {
                out.add(reply);
            }
        }
    }

    private SmtpReply accept(String line) {
        if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
            || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            throw new DecoderException("malformed reply: " + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
        }
        int c = Integer.parseInt(line.substring(0, 3));
        if (code >= 0 && c != code) {
            throw new DecoderException("inconsistent multi-line reply");
        }
        code = c;
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (line.length() > 3 && line.charAt(3) == '-') {
            if (lines.size() > MAX_LINES) {
                throw new DecoderException("reply too long");
            }
            return null;
        }
        SmtpReply reply = new SmtpReply(code, List.copyOf(lines));
        lines.clear();
        code = -1;
        return reply;
    }
}
