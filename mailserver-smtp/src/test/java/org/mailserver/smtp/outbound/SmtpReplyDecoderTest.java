package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SmtpReplyDecoderTest {
    static final String WIRE = "220 mx.example ESMTP\r\n250-mx.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"
        + "550 5.1.1 <x@y>: unknown\n354 go ahead\r\n";

    @Test
    void decodesTheSameRepliesWhateverTheSplit() {
        byte[] bytes = WIRE.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new SmtpReplyDecoder());
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            SmtpReply greeting = ch.readInbound();
            SmtpReply ehlo = ch.readInbound();
            SmtpReply refusal = ch.readInbound();
            SmtpReply data = ch.readInbound();
            assertEquals(220, greeting.code(), "split at " + split);
            assertEquals(List.of("mx.example", "PIPELINING", "SIZE 1000", "8BITMIME"), ehlo.lines());
            assertEquals("5.1.1", refusal.enhanced());
            assertEquals("550 5.1.1 <x@y>: unknown", refusal.text());
            assertEquals(354, data.code());
            assertNull(ch.readInbound());
        }
    }

    @Test
    void byteByByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpReplyDecoder());
        for (byte b : WIRE.getBytes(StandardCharsets.US_ASCII)) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        int n = 0;
        while (ch.readInbound() != null) {
            n++;
        }
        assertEquals(4, n);
    }

    @Test
    void refusesGarbageAndEndlessLines() {
        EmbeddedChannel garbage = new EmbeddedChannel(new SmtpReplyDecoder());
        assertThrows(DecoderException.class, () -> garbage.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 400\r\n", StandardCharsets.US_ASCII)));
        EmbeddedChannel mixed = new EmbeddedChannel(new SmtpReplyDecoder());
        assertThrows(DecoderException.class, () -> mixed.writeInbound(Unpooled.copiedBuffer("250-a\r\n251 b\r\n", StandardCharsets.US_ASCII)));
        EmbeddedChannel endless = new EmbeddedChannel(new SmtpReplyDecoder());
        assertThrows(DecoderException.class, () -> endless.writeInbound(Unpooled.wrappedBuffer(new byte[3000])));
    }

    @Test
    void enhancedCodeOnlyWhenItsClassMatches() {
        assertEquals("4.0.0", new SmtpReply(451, List.of("5.1.1 odd server")).enhanced());
        assertEquals("2.0.0", new SmtpReply(250, List.of("Ok")).enhanced());
    }
}
