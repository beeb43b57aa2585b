package org.mailserver.imap.codec;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ImapRequestDecoderTest {

    private static final String INPUT = "a1 LOGIN {4}\r\nuser {6+}\r\npa\"ss \r\n"
        + "a2 NOOP\r\n"
        + "a3 APPEND INBOX (\\Seen) {14+}\r\nSubject: x\r\n\r\n\r\n"
        + "a4 SELECT \"INBOX\"\r\n";

    private static List<Object> feed(EmbeddedChannel ch, byte[] input, int split) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < input.length; i += split) {
            ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(split, input.length - i)));
            Object o;
            while ((o = ch.readInbound()) != null) {
                out.add(o);
            }
        }
        return out;
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void framesTheSameCommandsWhateverThePacketBoundaries() throws Exception {
        byte[] input = INPUT.getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split <= input.length; split++) {
            ImapRequestDecoder dec = new ImapRequestDecoder(1000, 100000);
            dec.setAuthenticated(true);
            EmbeddedChannel ch = new EmbeddedChannel(dec);
            List<Object> out = feed(ch, input, split);
            assertEquals(4, out.size(), "split " + split);
            ImapRequest login = (ImapRequest) out.get(0);
            RequestReader r = new RequestReader(login);
            assertEquals("a1", r.tag());
            r.sp();
            assertEquals("LOGIN", r.atom());
            r.sp();
            assertEquals("user", r.astring());
            r.sp();
            assertEquals("pa\"ss ", r.astring());
            r.end();
            ImapRequest append = (ImapRequest) out.get(2);
            assertEquals("Subject: x\r\n\r\n", append.literals().get(0).asString());
            assertEquals("a4 SELECT \"INBOX\"", ((ImapRequest) out.get(3)).lines().get(0));
            // one continuation for the one synchronising literal
            assertEquals("+ Ready for literal data\r\n", outbound(ch), "split " + split);
            assertEquals(input.length, dec.bytesIn());
        }
    }

    @Test
    void hugeSynchronisingLiteralIsRefusedWithoutContinuation() {
        ImapRequestDecoder dec = new ImapRequestDecoder(1000, 100000);
        dec.setAuthenticated(true);
        EmbeddedChannel ch = new EmbeddedChannel(dec);
        List<Object> out = feed(ch, "a1 APPEND INBOX {2000000000}\r\na2 NOOP\r\n".getBytes(StandardCharsets.US_ASCII), 7);
        assertEquals(new DecodeFailure("a1", DecodeFailure.Reason.LITERAL_TOO_BIG, false), out.get(0));
        assertEquals("a2 NOOP", ((ImapRequest) out.get(1)).lines().get(0));
        assertEquals("", outbound(ch));
    }

    @Test
    void hugeNonSynchronisingLiteralIsFatal() {
        ImapRequestDecoder dec = new ImapRequestDecoder(1000, 100000);
        EmbeddedChannel ch = new EmbeddedChannel(dec);
        List<Object> out = feed(ch, "a1 APPEND INBOX {2000000000+}\r\nxxxx\r\na2 NOOP\r\n".getBytes(StandardCharsets.US_ASCII), 5);
        assertEquals(1, out.size());
        assertEquals(new DecodeFailure("a1", DecodeFailure.Reason.COMMAND_TOO_LONG, true), out.get(0));
    }

    @Test
    void appendLiteralsAreLimitedBeforeLogin() {
        ImapRequestDecoder dec = new ImapRequestDecoder(100, 100000);
        EmbeddedChannel ch = new EmbeddedChannel(dec);
        List<Object> out = feed(ch, "a1 APPEND INBOX {500}\r\n".getBytes(StandardCharsets.US_ASCII), 100);
        assertEquals(DecodeFailure.Reason.COMMAND_TOO_LONG, ((DecodeFailure) out.get(0)).reason());
    }

    @Test
    void tooLongLineIsSkippedAndReported() {
        ImapRequestDecoder dec = new ImapRequestDecoder(50, 100000);
        EmbeddedChannel ch = new EmbeddedChannel(dec);
        String longLine = "x1 NOOP " + "a".repeat(500) + "\r\nx2 NOOP\r\n";
        List<Object> out = feed(ch, longLine.getBytes(StandardCharsets.US_ASCII), 13);
        assertEquals(new DecodeFailure("x1", DecodeFailure.Reason.LINE_TOO_LONG, false), out.get(0));
        assertEquals("x2 NOOP", ((ImapRequest) out.get(1)).lines().get(0));
    }

    @Test
    void largeLiteralIsSpooledAndReadBack() throws Exception {
        ImapRequestDecoder dec = new ImapRequestDecoder(1000, 10_000_000);
        dec.setAuthenticated(true);
        EmbeddedChannel ch = new EmbeddedChannel(dec);
        byte[] body = new byte[Literal.SPOOL_THRESHOLD + 10];
        java.util.Arrays.fill(body, (byte) 'z');
        ch.writeInbound(Unpooled.wrappedBuffer(("b APPEND INBOX {" + body.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII)));
        ch.writeInbound(Unpooled.wrappedBuffer(body));
        ch.writeInbound(Unpooled.wrappedBuffer("\r\n".getBytes(StandardCharsets.US_ASCII)));
        ImapRequest req = ch.readInbound();
        try (var in = req.literals().get(0).openStream()) {
            assertArrayEquals(body, in.readAllBytes());
        }
        req.release();
    }

    @Test
    void readerParsesListsFlagsAndNil() throws Exception {
        RequestReader r = new RequestReader(ImapRequest.line("(\\Seen $Junk \\*) NIL \"a\\\\b\""));
        assertEquals(List.of("\\Seen", "$Junk", "\\*"), r.list(RequestReader::flag));
        r.sp();
        assertNull(r.nstring());
        r.sp();
        assertEquals("a\\b", r.astring());
        r.end();
        assertThrows(SyntaxException.class, () -> new RequestReader(ImapRequest.line("\"open")).astring());
    }
}
