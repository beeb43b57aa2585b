package org.mailserver.imap.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Frames IMAP client input into {@link ImapRequest}s (or {@link DecodeFailure}s) incrementally, without
 * interpreting the grammar beyond lines and literals: a line ending in {@code {n}}, {@code {n+}} or
 * {@code ~{n}} announces a literal of n bytes (RFC 3501 4.3, RFC 7888 LITERAL+, RFC 3516 literal8) after
 * which the command continues on the next line. The session parses the arguments (see {@link RequestReader}).
 *
 * <p>Limits: a line may not exceed {@code maxLineLength}; a command's text plus its literals may not exceed
 * it either, except that the literals of APPEND after login may be up to {@code maxAppendSize} (spooled to
 * disk beyond {@link Literal#SPOOL_THRESHOLD}). A synchronising literal over the limit is refused before the
 * client sends it (no {@code +} continuation, RFC 3501 7.5); a non-synchronising one cannot be stopped, so the
 * connection is declared unusable (RFC 7888 4 allows closing it) and input is discarded from then on.
 *
 * <p>Runs on the channel's event loop only. Writes the {@code +} continuation for synchronising literals itself.
 */
public final class ImapRequestDecoder extends ByteToMessageDecoder {

    private enum State { LINE, LITERAL, SKIP_LINE, CLOSED }

    private static final byte[] CONTINUATION = "+ Ready for literal data\r\n".getBytes(StandardCharsets.US_ASCII);
    /** RFC 3501 9: number = 1*DIGIT, unsigned 32-bit. */
    private static final long MAX_NUMBER = 4294967295L;

    private final int maxLineLength;
    private long maxAppendSize;
    private boolean authenticated;

    private State state = State.LINE;
    private final List<String> lines = new ArrayList<>();
    private final List<Literal> literals = new ArrayList<>();
    private Literal current;
    private long commandBytes;
    private String skipTag;
    private long bytesIn;

    public ImapRequestDecoder(int maxLineLength, long maxAppendSize) {
        this.maxLineLength = maxLineLength;
        this.maxAppendSize = maxAppendSize;
    }

    /** After login, APPEND literals may use the full APPENDLIMIT. Event loop only. */
    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public void setMaxAppendSize(long maxAppendSize) {
        this.maxAppendSize = maxAppendSize;
    }

    /** Drops buffered, not yet framed input (STARTTLS: plaintext pipelined after the command). */
    public void discardBuffered() {
        ByteBuf buffered = internalBuffer();
        bytesIn += buffered.readableBytes();
        buffered.skipBytes(buffered.readableBytes());
        releaseLiterals();
        reset();
    }

    /** Bytes of client input consumed so far (for the disconnect log line). */
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case CLOSED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                case LITERAL -> readLiteral(in);
                case SKIP_LINE -> {
                    int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                    if (lf < 0) {
                        consume(in, in.readableBytes());
                        return;
                    }
                    consume(in, lf + 1 - in.readerIndex());
                    out.add(new DecodeFailure(skipTag, DecodeFailure.Reason.LINE_TOO_LONG, false));
                    reset();
                }
                case LINE -> {
                    if (!readLine(ctx, in, out)) {
                        return;
                    }
                }
            }
        }
    }

    /** Returns false when more input is needed. */
    private boolean readLine(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        int available = lf < 0 ? in.readableBytes() : lf - in.readerIndex();
        if (available > maxLineLength) {
            skipTag = lines.isEmpty() ? ImapRequest.tagOf(peekAscii(in, 80)) : ImapRequest.tagOf(lines.get(0));
            releaseLiterals();
            state = State.SKIP_LINE;
            return true;
        }
        if (lf < 0) {
            return false;
        }
        byte[] raw = new byte[lf - in.readerIndex()];
        in.readBytes(raw);
        in.skipBytes(1);
        bytesIn += raw.length + 1;
        int len = raw.length;
        if (len > 0 && raw[len - 1] == '\r') {
            len--; // bare LF is accepted as a line end (leniency; RFC 3501 requires CRLF)
        }
        String line = new String(raw, 0, len, StandardCharsets.UTF_8);
        lines.add(line);
        commandBytes += len;
        String tag = ImapRequest.tagOf(lines.get(0));
        long limit = commandLimit();
        if (commandBytes > limit) {
            out.add(new DecodeFailure(tag, DecodeFailure.Reason.COMMAND_TOO_LONG, false));
            reset();
            return true;
        }
        Marker marker = Marker.parse(line);
        if (marker == null) {
            out.add(new ImapRequest(lines, literals));
            reset();
            return true;
        }
        boolean append = authenticated && isAppend(lines.get(0));
        boolean tooBig = append ? marker.size > maxAppendSize : marker.size > limit - commandBytes;
        if (marker.size < 0 || tooBig) {
            DecodeFailure.Reason reason = marker.size < 0 ? DecodeFailure.Reason.BAD_LITERAL
                : append ? DecodeFailure.Reason.LITERAL_TOO_BIG : DecodeFailure.Reason.COMMAND_TOO_LONG;
            out.add(new DecodeFailure(tag, reason, marker.nonSync));
            reset();
            if (marker.nonSync) {
                state = State.CLOSED; // RFC 7888 4: the literal is already on its way; we cannot resynchronise
                in.skipBytes(in.readableBytes());
            }
            return true;
        }
        if (!append) {
            commandBytes += marker.size; // APPEND's message literals count against APPENDLIMIT, not the command limit
        }
        current = new Literal(marker.size, marker.binary);
        state = State.LITERAL;
        if (!marker.nonSync) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUATION));
        }
        if (marker.size == 0) {
            finishLiteral();
        }
        return true;
    }

    private long commandLimit() {
        return maxLineLength;
    }

    private static boolean isAppend(String firstLine) {
        String[] words = firstLine.split(" ", 3);
        return words.length >= 2 && words[1].toUpperCase(Locale.ROOT).equals("APPEND");
    }

    private void readLiteral(ByteBuf in) {
        int take = (int) Math.min(in.readableBytes(), current.remaining());
        byte[] chunk = new byte[take];
        in.readBytes(chunk);
        bytesIn += take;
        current.append(chunk, 0, take);
        if (current.remaining() == 0) {
            finishLiteral();
        }
    }

    private void finishLiteral() {
        literals.add(current);
        current = null;
        state = State.LINE;
    }

    private void consume(ByteBuf in, int n) {
        in.skipBytes(n);
        bytesIn += n;
    }

    private void reset() {
        lines.clear();
        literals.clear();
        current = null;
        commandBytes = 0;
        if (state != State.CLOSED) {
            state = State.LINE;
        }
    }

    private void releaseLiterals() {
        literals.forEach(Literal::release);
        if (current != null) {
            current.release();
        }
        literals.clear();
        current = null;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseLiterals();
    }

    private static String peekAscii(ByteBuf in, int max) {
        return in.toString(in.readerIndex(), Math.min(max, in.readableBytes()), StandardCharsets.US_ASCII);
    }

    /** A literal marker at the end of a line: {@code {n}}, {@code {n+}}, {@code ~{n}}; size -1 when n is out of range. */
    record Marker(long size, boolean nonSync, boolean binary) {
        static Marker parse(String line) {
            if (!line.endsWith("}")) {
                return null;
            }
            int open = line.lastIndexOf('{');
            if (open < 0) {
                return null;
            }
            int end = line.length() - 1;
            boolean nonSync = end > open + 1 && line.charAt(end - 1) == '+';
            if (nonSync) {
                end--;
            }
            String digits = line.substring(open + 1, end);
            if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            boolean binary = open > 0 && line.charAt(open - 1) == '~';
            long n = digits.length() > 10 ? -1 : Long.parseLong(digits);
            return new Marker(n > MAX_NUMBER ? -1 : n, nonSync, binary);
        }
    }
}
