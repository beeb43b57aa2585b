package org.mailserver.smtp.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.codec.SmtpReply;

/**
 * The intake's handling of the header section, whether it arrives in the first piece of content (used as it
 * is) or spread over several (collected first): the sink gets the same bytes, the prefix sees the same header,
 * and the limits on header fields, header size and hops refuse the same messages, for every split.
 */
class MessageIntakeTest {
    private static final MessageIntake.Limits LIMITS = new MessageIntake.Limits(1_000_000, 200, 5, 3, false);

    /** Records what reaches the sink, in order; commit says 250. */
    private static final class RecordingSink implements ContentSink {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean committed;
        boolean aborted;

        @Override
        public String open(Envelope envelope) {
            return "ID";
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            written.write(bytes, offset, length);
        }

        @Override
        public List<SmtpReply> commit() {
            committed = true;
            return List.of(SmtpReply.of(250, "2.0.0", "Ok"));
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    private record Outcome(String written, List<HeaderInfo> seen, SmtpReply reply, boolean committed) {
    }

    /** Feeds {@code content} in pieces cut at {@code cuts} (ascending), then finishes. */
    private static Outcome feed(String content, int... cuts) {
        RecordingSink sink = new RecordingSink();
        List<HeaderInfo> seen = new ArrayList<>();
        MessageIntake intake = new MessageIntake(sink, CompletableFuture.completedFuture(null), Runnable::run, LIMITS,
            info -> {
                seen.add(info);
                return "Received: test\r\n";
            });
        byte[] all = content.getBytes(StandardCharsets.US_ASCII);
        int from = 0;
        for (int cut : cuts) {
            intake.accept(java.util.Arrays.copyOfRange(all, from, cut));
            from = cut;
        }
        intake.accept(java.util.Arrays.copyOfRange(all, from, all.length));
        List<SmtpReply> replies = intake.finish().toCompletableFuture().join();
        return new Outcome(sink.written.toString(StandardCharsets.US_ASCII), seen, replies.get(0), sink.committed);
    }

    private static void sameForEverySplit(String content) {
        Outcome whole = feed(content);
        for (int i = 1; i < content.length(); i++) {
            assertEquals(whole, feed(content, i), "split at " + i);
        }
        for (int i = 1; i + 7 < content.length(); i += 5) {
            assertEquals(whole, feed(content, i, i + 7), "split at " + i + " and " + (i + 7));
        }
    }

    @Test
    void headerInOnePieceOrManyReachesTheSinkAfterThePrefix() {
        String msg = "From: a@b\r\nSubject: hi\r\nMessage-ID: <1@b>\r\n\r\nbody line\r\n";
        Outcome o = feed(msg);
        assertTrue(o.committed());
        assertEquals(250, o.reply().code());
        assertEquals("Received: test\r\n" + msg, o.written());
        assertEquals(List.of(new HeaderInfo(true, false, 0, 3)), o.seen());
        sameForEverySplit(msg);
    }

    @Test
    void contentWithoutAnEmptyLineIsAllHeader() {
        String msg = "From: a@b\r\nDate: Mon, 23 Nov 2026 19:14:29 +0000\r\n";
        Outcome o = feed(msg);
        assertEquals("Received: test\r\n" + msg, o.written());
        assertEquals(List.of(new HeaderInfo(false, true, 0, 2)), o.seen());
        sameForEverySplit(msg);
    }

    @Test
    void tooManyHeaderFieldsAreRefusedHoweverTheyArrive() {
        String msg = "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\nbody\r\n";
        Outcome o = feed(msg);
        assertEquals(552, o.reply().code());
        assertTrue(o.reply().summary().contains("too many header fields"), o.reply().summary());
        assertEquals("", o.written(), "nothing of a refused message is written");
        sameForEverySplit(msg);
    }

    @Test
    void aHeaderOverTheSizeLimitIsRefusedWithOrWithoutItsEnd() {
        String longField = "X-Long: " + "y".repeat(250) + "\r\n";
        for (String msg : List.of(longField + "\r\nbody\r\n", longField + longField)) {
            Outcome o = feed(msg);
            assertEquals(552, o.reply().code(), msg);
            assertTrue(o.reply().summary().contains("header size"), o.reply().summary());
            assertEquals("", o.written(), "nothing of a refused message is written");
            assertTrue(o.seen().isEmpty(), "no prefix is made for a refused header");
            sameForEverySplit(msg);
        }
    }

    @Test
    void tooManyHopsIsALoopHoweverTheyArrive() {
        String msg = "Received: 1\r\nReceived: 2\r\nReceived: 3\r\n\r\nbody\r\n";
        Outcome o = feed(msg);
        assertEquals(554, o.reply().code());
        assertEquals("5.4.6", o.reply().enhanced());
        sameForEverySplit(msg);
    }

    @Test
    void headerEndFindsTheEmptyLine() {
        assertEquals(0, MessageIntake.headerEnd("\r\nbody".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(6, MessageIntake.headerEnd("A: 1\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-1, MessageIntake.headerEnd("A: 1\r\nB: 2\r\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
