package org.mailserver.smtp.codec;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The decoder in isolation, fed through EmbeddedChannel both in one piece and split at every byte:
 * the objects must be the same. Covers dot-unstuffing, the only legal end of DATA, smuggling variants,
 * bare newlines in both policies, NUL, the line limit, BDAT chunks and pausing.
 */
@Timeout(10)
class SmtpDecoderTest {

    /** Decodes input; a hook switches modes when a command line asks for it, as the session would. */
    private static List<Object> decode(NewlinePolicy policy, byte[] input, int split) {
        SmtpDecoder decoder = new SmtpDecoder(100, policy);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        List<Object> out = new ArrayList<>();
        Consumer<Object> onObject = o -> {
            out.add(o);
            if (o instanceof SmtpInput.CommandLine c) {
                if (c.line().equals("DATA")) {
                    decoder.expectData();
                } else if (c.line().startsWith("BDAT ")) {
                    decoder.expectBdat(Long.parseLong(c.line().split(" ")[1]));
                }
            }
        };
        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                onObject.accept(msg);
            }
        });
        for (int i = 0; i < input.length; i += split) {
            ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(split, input.length - i)));
        }
        ch.finishAndReleaseAll();
        return merge(out);
    }

    /** Adjacent content pieces joined, so results do not depend on how the input was split. */
    private static List<Object> merge(List<Object> in) {
        List<Object> out = new ArrayList<>();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (Object o : in) {
            if (o instanceof SmtpInput.Content c) {
                content.writeBytes(c.bytes());
                continue;
            }
            if (content.size() > 0) {
                out.add("CONTENT:" + content.toString(StandardCharsets.UTF_8));
                content.reset();
            }
            out.add(o);
        }
        if (content.size() > 0) {
            out.add("CONTENT:" + content.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<Object> both(NewlinePolicy policy, String input) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        List<Object> whole = decode(policy, bytes, bytes.length);
        for (int split = 1; split <= 3; split++) {
            assertEquals(whole, decode(policy, bytes, split), "split at every " + split + " bytes");
        }
        return whole;
    }

    private static SmtpInput.CommandLine cmd(String s) {
        return new SmtpInput.CommandLine(s);
    }

    @Test
    void commandLines() {
        assertEquals(List.of(cmd("EHLO x"), cmd("MAIL FROM:<a@b>"), cmd("")),
            both(NewlinePolicy.REJECT, "EHLO x\r\nMAIL FROM:<a@b>\r\n\r\npartial"));
    }

    @Test
    void dataIsUnstuffedAndEndsAtCrLfDotCrLf() {
        assertEquals(List.of(cmd("DATA"), "CONTENT:a\r\n.b\r\n\r\n", new SmtpInput.ContentEnd(), cmd("QUIT")),
            both(NewlinePolicy.REJECT, "DATA\r\na\r\n..b\r\n\r\n.\r\nQUIT\r\n"));
    }

    @Test
    void emptyMessageEndsImmediately() {
        assertEquals(List.of(cmd("DATA"), new SmtpInput.ContentEnd()), both(NewlinePolicy.REJECT, "DATA\r\n.\r\n"));
    }

    @Test
    void smugglingWithBareLfIsRefusedInRejectMode() {
        List<Object> out = both(NewlinePolicy.REJECT, "DATA\r\nx\r\n\n.\r\nMAIL FROM:<evil@x>\r\n");
        assertEquals(List.of(cmd("DATA"), "CONTENT:x\r\n", new SmtpInput.InputError(SmtpInput.Kind.BARE_LF)), out);
        out = both(NewlinePolicy.REJECT, "DATA\r\nx\r\n.\nMAIL FROM:<evil@x>\r\n");
        assertEquals(List.of(cmd("DATA"), "CONTENT:x\r\n", new SmtpInput.InputError(SmtpInput.Kind.BARE_LF)), out);
        out = both(NewlinePolicy.REJECT, "DATA\r\nx\r.\r\nMAIL FROM:<evil@x>\r\n");
        assertEquals(List.of(cmd("DATA"), new SmtpInput.InputError(SmtpInput.Kind.BARE_CR)), out);
    }

    @Test
    void smugglingCannotEndDataInNormalizeMode() {
        // "\n.\r\n" and ".\n" are content, never the end; the real end comes later.
        List<Object> out = both(NewlinePolicy.NORMALIZE, "DATA\r\nx\n.\r\nMAIL FROM:<evil@x>\r\n.\nmore\r\n.\r\n");
        assertEquals(cmd("DATA"), out.get(0));
        assertEquals(new SmtpInput.ContentEnd(), out.get(2));
        assertEquals(3, out.size());
        String content = ((String) out.get(1)).substring("CONTENT:".length());
        assertTrue(content.contains("MAIL FROM:<evil@x>\r\n"), content);
        assertTrue(content.startsWith("x\r\n"), "bare LF normalised to CRLF: " + content);
        assertFalse(content.contains("\n\n"));
    }

    @Test
    void bareLfInCommandIsRefusedOrNormalised() {
        assertEquals(List.of(new SmtpInput.InputError(SmtpInput.Kind.BARE_LF)), both(NewlinePolicy.REJECT, "NOOP\n").subList(0, 1));
        assertEquals(List.of(cmd("NOOP")), both(NewlinePolicy.NORMALIZE, "NOOP\n"));
    }

    @Test
    void nulIsRefusedEverywhere() {
        assertEquals(List.of(new SmtpInput.InputError(SmtpInput.Kind.NUL)), both(NewlinePolicy.NORMALIZE, "NO\0OP\r\n"));
        assertEquals(List.of(cmd("DATA"), new SmtpInput.InputError(SmtpInput.Kind.NUL)), both(NewlinePolicy.NORMALIZE, "DATA\r\na\0b\r\n.\r\n"));
    }

    @Test
    void contentBeforeARefusedLineIsKeptAndNothingOfThatLine() {
        // Nothing of a refused line is content, and everything before it is
        assertEquals(List.of(cmd("DATA"), "CONTENT:good\r\n", new SmtpInput.InputError(SmtpInput.Kind.NUL)),
            both(NewlinePolicy.NORMALIZE, "DATA\r\ngood\r\nba\0d line\r\n.\r\n"));
        assertEquals(List.of(cmd("DATA"), "CONTENT:good\r\n", new SmtpInput.InputError(SmtpInput.Kind.BARE_CR)),
            both(NewlinePolicy.REJECT, "DATA\r\ngood\r\nba\rd line\r\n.\r\n"));
        // A line longer than PARTIAL goes out in pieces before its end is seen; a NUL in a piece stops it there
        String piece = "y".repeat(3 * SmtpDecoder.PARTIAL);
        byte[] input = ("DATA\r\nok\r\n" + piece + "\0" + piece + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Object> out = decode(NewlinePolicy.REJECT, input, input.length);
        assertEquals(List.of(cmd("DATA"), "CONTENT:ok\r\n", new SmtpInput.InputError(SmtpInput.Kind.NUL)), out);
        out = decode(NewlinePolicy.REJECT, input, 4096);
        assertEquals(new SmtpInput.InputError(SmtpInput.Kind.NUL), out.get(out.size() - 1));
        String content = ((String) out.get(1)).substring("CONTENT:".length());
        assertTrue(content.startsWith("ok\r\ny") && content.chars().allMatch(c -> c != 0) && !content.contains("\r\n.\r\n"),
            "only whole pieces before the NUL: " + content.length() + " chars");
    }

    @Test
    void overlongCommandIsDiscardedWithOneError() {
        String longLine = "X".repeat(500);
        assertEquals(List.of(new SmtpInput.InputError(SmtpInput.Kind.LINE_TOO_LONG), cmd("NOOP")),
            both(NewlinePolicy.REJECT, longLine + "\r\nNOOP\r\n"));
    }

    @Test
    void longDataLinesPassThroughInPieces() {
        String line = "y".repeat(20000);
        List<Object> out = both(NewlinePolicy.REJECT, "DATA\r\n." + line + "\r\n.\r\n");
        assertEquals(List.of(cmd("DATA"), "CONTENT:" + line + "\r\n", new SmtpInput.ContentEnd()), out);
    }

    @Test
    void bdatChunkIsTakenByCountNotByLines() {
        assertEquals(List.of(cmd("BDAT 6"), "CONTENT:a\r\n.\r\n", new SmtpInput.ContentEnd(), cmd("QUIT")),
            both(NewlinePolicy.REJECT, "BDAT 6\r\na\r\n.\r\nQUIT\r\n"));
        assertEquals(List.of(cmd("BDAT 0"), new SmtpInput.ContentEnd(), cmd("QUIT")),
            both(NewlinePolicy.REJECT, "BDAT 0\r\nQUIT\r\n"));
    }

    @Test
    void pausedDecoderHoldsInputUntilResumed() {
        SmtpDecoder decoder = new SmtpDecoder(100, NewlinePolicy.REJECT);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                decoder.pause(); // as the session does while a command runs
            }
        });
        ch.writeInbound(Unpooled.copiedBuffer("DATA\r\nnot a command\r\n.\r\n", StandardCharsets.US_ASCII));
        assertEquals(List.of(cmd("DATA")), seen);
        assertTrue(decoder.hasBufferedInput());
        decoder.expectData();
        decoder.resume();
        assertEquals(2, seen.size());
        decoder.resume();
        assertEquals(new SmtpInput.ContentEnd(), seen.get(2));
        ch.finishAndReleaseAll();
    }

    @Test
    void replyEncoderWritesContinuationLines() {
        assertEquals("250-a\r\n250 b\r\n", SmtpReplyEncoder.format(new SmtpReply(250, null, List.of("a", "b"))));
        assertEquals("550 5.1.1 no\r\n", SmtpReplyEncoder.format(SmtpReply.of(550, "5.1.1", "no")));
        assertEquals("554 5.7.1 a  b\r\n", SmtpReplyEncoder.format(SmtpReply.of(554, "5.7.1", "a\r\nb")));
    }
}
