package org.mailserver.smtp.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.mailserver.smtp.codec.NewlinePolicy;
import org.mailserver.smtp.codec.SmtpDecoder;
import org.mailserver.smtp.codec.SmtpInput;
import org.mailserver.smtp.intake.ContentSink;
import org.mailserver.smtp.intake.MessageIntake;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the event loop's share of receiving one message over SMTP DATA, the decoder alone (no session, no
 * queue): the dot-stuffed content of a message shaped like smtp-source's (a dozen header lines, then 78-character
 * lines), fed in 64 KB socket reads, decoded into content chunks and the end of DATA. At one SMTP session this
 * work is on the path from the client's last byte to the 250 (docs/benchmarks.md, "Hot paths (JMH)").
 * Run with {@link SmtpBenchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DataDecodeBenchmark {
    /** How smtp-source's sockets deliver the content: reads of up to 64 KB. */
    private static final int READ = 64 * 1024;

    @Param({"5120", "102400"})
    public int size;

    private byte[] wire;
    private SmtpDecoder decoder;
    private EmbeddedChannel channel;
    private long contentBytes;
    private int ends;
    /** Set by {@link #intakeOneMessage}: the decoded content also goes through the session's intake. */
    private MessageIntake intake;
    private long sunk;

    @Setup
    public void setup() {
        wire = message(size);
        decoder = new SmtpDecoder(2048, NewlinePolicy.REJECT);
        channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmtpInput.Content c) {
                    contentBytes += c.bytes().length;
                    if (intake != null) {
                        intake.accept(c.bytes());
                    }
                } else if (msg instanceof SmtpInput.ContentEnd) {
                    ends++;
                    if (intake != null) {
                        intake.finish();
                    }
                }
            }
        });
    }

    @TearDown
    public void check() {
        // a benchmark that decoded nothing would measure nothing
        if (ends == 0 || contentBytes < (long) ends * (size - 2)) {
            throw new IllegalStateException("decoded " + contentBytes + " bytes in " + ends + " messages");
        }
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public long decodeOneMessage() {
        decoder.expectData();
        for (int off = 0; off < wire.length; off += READ) {
            ByteBuf read = Unpooled.wrappedBuffer(wire, off, Math.min(READ, wire.length - off));
            channel.writeInbound(read);
        }
        return contentBytes;
    }

    /**
     * The decoder and then {@link MessageIntake} (header held back and checked, the trace header prepended,
     * content batched for the queue writer), with a sink that only counts and an executor that runs in place:
     * all of the event loop's work for one message's content.
     */
    @Benchmark
    public long intakeOneMessage() {
        intake = new MessageIntake(new CountingSink(), java.util.concurrent.CompletableFuture.completedFuture(null),
            Runnable::run, new MessageIntake.Limits(50L << 20, 100 * 1024, 1000, 100, false),
            info -> "Received: from bench-client.example (localhost [127.0.0.1])\r\n\tby mail.example.test\r\n");
        decodeOneMessage();
        return sunk;
    }

    private final class CountingSink implements ContentSink {
        @Override
        public String open(org.mailserver.core.queue.Envelope envelope) {
            return "ID";
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            sunk += length;
        }

        @Override
        public java.util.List<org.mailserver.smtp.codec.SmtpReply> commit() {
            return java.util.List.of();
        }

        @Override
        public void abort() {
        }
    }

    /** About {@code size} bytes of content after DATA, ending in CRLF.CRLF, with one dot-stuffed line. */
    static byte[] message(int size) {
        StringBuilder sb = new StringBuilder(size + 128);
        sb.append("From: <bench@sender.example>\r\nTo: <u01@example.test>\r\n")
            .append("Date: Mon, 23 Nov 2026 19:14:29 +0000 (UTC)\r\n")
            .append("Message-Id: <7167.0003.0030@bench-client.example>\r\n")
            .append("Subject: bench ").append(size).append("B\r\n\r\n");
        int line = 1;
        while (sb.length() < size) {
            String n = Integer.toString(line++);
            sb.append(n).append("X".repeat(78 - n.length())).append("\r\n");
            if (line == 10) {
                sb.append("..a dot-stuffed line\r\n");
            }
        }
        sb.append(".\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
