package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class QueueFileTest {
    @TempDir
    Path dir;

    static Envelope envelope(String sender, String... rcpts) {
        List<Envelope.Recipient> rs = new ArrayList<>();
        for (String r : rcpts) {
            rs.add(new Envelope.Recipient(r, "rfc822;" + r, null));
        }
        return new Envelope(sender, rs, "env-1", "HDRS", "8BITMIME", false, "client.example[192.0.2.1]", "client.example",
            "alice", Instant.ofEpochMilli(1_700_000_000_123L));
    }

    static String commit(FileMessageQueue q, Envelope env, String content) throws Exception {
        IncomingMessage in = q.begin(env);
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        in.write(b, 0, b.length);
        return in.commit();
    }

    @Test
    void roundTripKeepsEnvelopeContentAndMarks() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        StringBuilder big = new StringBuilder("Subject: hi\r\n\r\n");
        for (int i = 0; i < 5000; i++) {
            big.append("line ").append(i).append(" of a body longer than one 64 KiB chunk\r\n");
        }
        String id = commit(q, envelope("a@example.org", "b@example.net", "c@example.net"), big.toString());
        q.append(QueueState.ACTIVE, id, QueueFile.DONE, "0\tsent\t2.0.0\t250 ok");
        q.append(QueueState.ACTIVE, id, QueueFile.DEFERRED, "1\t1\t4.4.1\tconnection refused");
        q.append(QueueState.ACTIVE, id, QueueFile.ATTEMPT, "1700000001000");

        QueuedMessage m = q.load(QueueState.ACTIVE, id).orElseThrow();
        assertEquals("a@example.org", m.envelope().sender());
        assertEquals("env-1", m.envelope().envId());
        assertEquals("HDRS", m.envelope().ret());
        assertEquals("rfc822;c@example.net", m.envelope().recipients().get(1).orcpt());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), m.arrival());
        assertEquals(QueuedMessage.Outcome.SENT, m.state(0).done());
        assertNull(m.state(1).done());
        assertEquals("connection refused", m.state(1).lastReply());
        assertEquals(List.of(1), m.pendingRecipients());
        assertEquals(1, m.attempts());
        try (InputStream in = q.openContent(QueueState.ACTIVE, m)) {
            assertEquals(big.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void contentStreamedInSmallPiecesAcrossChunksReadsBackInOrder() throws Exception {
        // Header records and content are written with gathering writes: the first at the first full
        // 64 KiB chunk, the rest at commit; the order on disk must still be header, chunks, end.
        FileMessageQueue q = new FileMessageQueue(dir);
        StringBuilder text = new StringBuilder("Subject: pieces\r\n\r\n");
        for (int i = 0; text.length() < 200_000; i++) {
            text.append("piece line ").append(i).append("\r\n");
        }
        byte[] all = text.toString().getBytes(StandardCharsets.US_ASCII);
        IncomingMessage in = q.begin(envelope("a@example.org", "b@example.net"));
        for (int off = 0; off < all.length; off += 997) {
            in.write(all, off, Math.min(997, all.length - off));
        }
        String id = in.commit();
        QueuedMessage m = q.load(QueueState.ACTIVE, id).orElseThrow();
        assertEquals("b@example.net", m.envelope().recipients().get(0).address());
        try (InputStream content = q.openContent(QueueState.ACTIVE, m)) {
            assertArrayEquals(all, content.readAllBytes());
        }
    }

    @Test
    void commitPublishesOnlyAfterTheFileIsComplete() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        AtomicReference<String> seen = new AtomicReference<>();
        q.onArrival(id -> {
            // The listener (the queue manager) must find a complete, parseable file in active/.
            try {
                seen.set(QueueFile.read(q.path(QueueState.ACTIVE, id), id).envelope().sender());
            } catch (Exception e) {
                seen.set("error: " + e);
            }
        });
        IncomingMessage in = q.begin(envelope("s@example.org", "r@example.net"));
        byte[] b = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        in.write(b, 0, b.length);
        assertFalse(Files.exists(q.path(QueueState.INCOMING, in.queueId())), "a small message is written at commit");
        assertTrue(q.list(QueueState.ACTIVE).isEmpty(), "nothing visible before commit");
        String id = in.commit();
        assertEquals(in.queueId(), id);
        assertFalse(Files.exists(q.path(QueueState.INCOMING, id)));
        assertEquals("s@example.org", seen.get());
        in.abort(); // after commit: harmless
        assertTrue(Files.exists(q.path(QueueState.ACTIVE, id)));
    }

    static void awaitSpares(FileMessageQueue q) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (q.sparesReady() < SpareQueueFiles.LOW_WATER && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(q.sparesReady() >= SpareQueueFiles.LOW_WATER, "spares made: " + q.sparesReady());
    }

    @Test
    void aMessageIsWrittenIntoASpareFileWhoseNameWasMadeAhead() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        q.startSpares();
        try {
            awaitSpares(q);
            List<String> spares = q.list(QueueState.INCOMING);
            assertTrue(spares.size() >= SpareQueueFiles.LOW_WATER, spares.toString());
            for (String spare : spares) {
                assertEquals(0, Files.size(q.path(QueueState.INCOMING, spare)), "a spare is an empty file");
            }
            IncomingMessage in = q.begin(envelope("s@example.org", "r@example.net"));
            assertTrue(spares.contains(in.queueId()), "the message takes a spare's name: " + in.queueId());
            byte[] b = "Subject: spare\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
            in.write(b, 0, b.length);
            String id = in.commit();
            assertFalse(Files.exists(q.path(QueueState.INCOMING, id)));
            QueuedMessage m = q.load(QueueState.ACTIVE, id).orElseThrow();
            try (InputStream content = q.openContent(QueueState.ACTIVE, m)) {
                assertArrayEquals(b, content.readAllBytes());
            }
            IncomingMessage dropped = q.begin(envelope("s@example.org", "r@example.net"));
            assertTrue(Files.exists(q.path(QueueState.INCOMING, dropped.queueId())));
            dropped.write(b, 0, b.length);
            dropped.abort();
            assertFalse(Files.exists(q.path(QueueState.INCOMING, dropped.queueId())), "an aborted spare is removed");
            assertNotEquals(id, dropped.queueId());
        } finally {
            q.stopSpares();
        }
    }

    @Test
    void withoutSparesAMessageStillGetsItsOwnFile() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        q.startSpares();
        awaitSpares(q);
        q.stopSpares();
        // With the pool stopped (as with none ready), a session creates its own file; the old spares are
        // removed so that writing into one of them would fail the commit.
        List<String> before = q.list(QueueState.INCOMING);
        for (String spare : before) {
            Files.delete(q.path(QueueState.INCOMING, spare));
        }
        String id = commit(q, envelope("s@example.org", "r@example.net"), "Subject: x\r\n\r\nbody\r\n");
        assertFalse(before.contains(id));
        assertTrue(q.load(QueueState.ACTIVE, id).isPresent());
    }

    @Test
    void aFinishedMessagesFileBecomesAnEmptySpareAndANewMessageInItCarriesNoOldBytes() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        q.startSpares();
        try {
            awaitSpares(q);
            StringBuilder big = new StringBuilder("Subject: big\r\n\r\n");
            while (big.length() < 200 * 1024) {
                big.append("a line of the earlier, larger message\r\n");
            }
            String old = commit(q, envelope("s@example.org", "r@example.net"), big.toString());
            Object inode = Files.getAttribute(q.path(QueueState.ACTIVE, old), "unix:ino");
            q.append(QueueState.ACTIVE, old, QueueFile.DONE, "0\tsent\t2.0.0\t250 ok");

            q.retire(old);
            assertFalse(Files.exists(q.path(QueueState.ACTIVE, old)), "the finished message left active/");
            assertFalse(q.list(QueueState.INCOMING).contains(old), "a reused file takes a fresh ID");

            // Take spares (as sessions do) until the pool hands out the reused file: it is offered once the
            // pool runs low and its directories have been synced.
            byte[] small = "Subject: small\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
            String reused = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (reused == null && System.nanoTime() < deadline) {
                IncomingMessage in = q.begin(envelope("s@example.org", "r@example.net"));
                Path p = q.path(QueueState.INCOMING, in.queueId());
                if (Files.exists(p) && inode.equals(Files.getAttribute(p, "unix:ino"))) {
                    assertEquals(0, Files.size(p), "a reused file is handed out empty");
                    in.write(small, 0, small.length);
                    reused = in.commit();
                } else {
                    in.abort();
                    if (q.sparesReady() == 0) {
                        Thread.sleep(5);
                    }
                }
            }
            assertNotNull(reused, "the finished message's file was never handed out again");
            QueuedMessage m = q.load(QueueState.ACTIVE, reused).orElseThrow();
            assertEquals(List.of(0), m.pendingRecipients(), "no record of the old message came along");
            try (InputStream content = q.openContent(QueueState.ACTIVE, m)) {
                assertArrayEquals(small, content.readAllBytes());
            }
        } finally {
            q.stopSpares();
        }
    }

    @Test
    void withoutTheSparePoolAFinishedMessageIsDeleted() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        String id = commit(q, envelope("s@example.org", "r@example.net"), "Subject: x\r\n\r\nbody\r\n");
        q.retire(id);
        assertFalse(Files.exists(q.path(QueueState.ACTIVE, id)));
        assertTrue(q.list(QueueState.INCOMING).isEmpty(), "nothing kept when no pool runs");
    }

    @Test
    void aReusedFileACrashCaughtBeforeItWasEmptiedComesBackFinished() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        // The rename into incoming/ reached the disk, the truncation did not: the old content, every
        // recipient done, under the fresh name. Recovery takes it back to active/, where nothing is pending.
        String old = commit(q, envelope("s@example.org", "r@example.net", "x@example.net"), "Subject: o\r\n\r\nbody\r\n");
        q.append(QueueState.ACTIVE, old, QueueFile.DONE, "0\tsent\t2.0.0\t250 ok");
        q.append(QueueState.ACTIVE, old, QueueFile.DONE, "1\tbounced\t5.1.1\t550 no such user");
        String fresh = QueueId.next();
        Files.move(q.path(QueueState.ACTIVE, old), q.path(QueueState.INCOMING, fresh));

        assertEquals(1, q.recoverIncoming());
        QueuedMessage m = q.load(QueueState.ACTIVE, fresh).orElseThrow();
        assertTrue(m.pendingRecipients().isEmpty(), "nothing is delivered again: " + m.pendingRecipients());
    }

    @Test
    void recoveryMovesCompleteIncomingFilesAndRemovesTheRest() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        // A message forced in its spare file, the crash came before its rename reached the disk.
        String complete = commit(q, envelope("s@example.org", "r@example.net"), "Subject: c\r\n\r\nbody\r\n");
        Files.move(q.path(QueueState.ACTIVE, complete), q.path(QueueState.INCOMING, complete));
        // A rename applied half: the same file under both names.
        String both = commit(q, envelope("s@example.org", "r@example.net"), "Subject: b\r\n\r\nbody\r\n");
        Files.createLink(q.path(QueueState.INCOMING, both), q.path(QueueState.ACTIVE, both));
        // An unused spare and a transfer cut short.
        String spare = QueueId.next();
        Files.createFile(q.path(QueueState.INCOMING, spare));
        IncomingMessage cut = q.begin(envelope("s@example.org", "r@example.net"));
        byte[] big = new byte[100 * 1024];
        cut.write(big, 0, big.length);
        assertEquals(4, q.list(QueueState.INCOMING).size());

        assertEquals(1, q.recoverIncoming());
        assertTrue(q.list(QueueState.INCOMING).isEmpty());
        assertEquals(List.of(complete, both).stream().sorted().toList(), q.list(QueueState.ACTIVE));
        assertEquals("s@example.org", q.load(QueueState.ACTIVE, complete).orElseThrow().envelope().sender());
        assertTrue(q.load(QueueState.ACTIVE, both).isPresent());
    }

    @Test
    void aLargeMessageIsStreamedToIncomingBeforeCommit() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        IncomingMessage in = q.begin(envelope("s@example.org", "r@example.net"));
        byte[] head = "Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        in.write(head, 0, head.length);
        byte[] body = new byte[200 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        in.write(body, 0, body.length);
        assertTrue(Files.exists(q.path(QueueState.INCOMING, in.queueId())), "full chunks go to disk as they come");
        assertTrue(q.list(QueueState.ACTIVE).isEmpty(), "nothing visible before commit");
        String id = in.commit();
        QueuedMessage m = q.load(QueueState.ACTIVE, id).orElseThrow();
        assertEquals(head.length + body.length, m.contentSize());
        assertTrue(q.list(QueueState.INCOMING).isEmpty());
    }

    @Test
    void abortOfALargeMessageRemovesTheIncomingFile() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        IncomingMessage in = q.begin(envelope("s@example.org", "r@example.net"));
        byte[] body = new byte[100 * 1024];
        in.write(body, 0, body.length);
        assertEquals(1, q.list(QueueState.INCOMING).size());
        in.abort();
        assertTrue(q.list(QueueState.INCOMING).isEmpty());
        assertThrows(java.io.IOException.class, in::commit);
    }

    @Test
    void abortRemovesTheIncomingFile() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        IncomingMessage in = q.begin(envelope("s@example.org", "r@example.net"));
        in.write(new byte[] {'x'}, 0, 1);
        in.abort();
        in.abort();
        assertTrue(q.list(QueueState.INCOMING).isEmpty());
        assertThrows(java.io.IOException.class, in::commit);
    }

    @Test
    void tornAppendIsCutOffAndTheMessageStaysReadable() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        String id = commit(q, envelope("s@example.org", "r@example.net"), "Subject: x\r\n\r\nbody\r\n");
        Path p = q.path(QueueState.ACTIVE, id);
        long good = Files.size(p);
        byte[] rec = QueueFile.recordBytes(QueueFile.DONE, "0\tsent\t2.0.0\tok");
        Files.write(p, java.util.Arrays.copyOf(rec, rec.length - 3), StandardOpenOption.APPEND);
        QueuedMessage m = q.load(QueueState.ACTIVE, id).orElseThrow();
        assertEquals(List.of(0), m.pendingRecipients(), "an unfinished done mark does not count");
        assertEquals(good, Files.size(p), "torn tail cut off");
        q.append(QueueState.ACTIVE, id, QueueFile.DONE, "0\tsent\t2.0.0\tok");
        assertTrue(q.load(QueueState.ACTIVE, id).orElseThrow().finished());
    }

    @Test
    void damagedFilesGoToCorrupt() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        String a = commit(q, envelope("s@example.org", "r@example.net"), "Subject: x\r\n\r\nbody\r\n");
        String b = commit(q, envelope("s@example.org", "r@example.net"), "Subject: y\r\n\r\nbody\r\n");
        String c = commit(q, envelope("s@example.org", "r@example.net"), "Subject: z\r\n\r\nbody\r\n");
        // a: flip a content byte (CRC mismatch before 'X'); b: bad magic; c: cut before the end record.
        Path pa = q.path(QueueState.ACTIVE, a);
        byte[] bytes = Files.readAllBytes(pa);
        int body = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("body");
        bytes[body] = 'B';
        Files.write(pa, bytes);
        Path pb = q.path(QueueState.ACTIVE, b);
        byte[] bb = Files.readAllBytes(pb);
        bb[0] = 'X';
        Files.write(pb, bb);
        Path pc = q.path(QueueState.ACTIVE, c);
        byte[] cb = Files.readAllBytes(pc);
        Files.write(pc, java.util.Arrays.copyOf(cb, cb.length - 12));
        for (String id : List.of(a, b, c)) {
            assertTrue(q.load(QueueState.ACTIVE, id).isEmpty(), id);
            assertEquals(QueueState.CORRUPT, q.find(id).orElseThrow());
        }
    }

    @Test
    void queueIdsAreUniqueAndFileSafe() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 5000; i++) {
            String id = QueueId.next();
            assertTrue(QueueId.isValid(id), id);
            assertTrue(ids.add(id), "duplicate " + id);
        }
        assertFalse(QueueId.isValid("../etc"));
        assertFalse(QueueId.isValid("abc"));
    }
}
