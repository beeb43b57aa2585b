package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.session.FairWorkPool;
import org.mailserver.imap.session.ServerResources;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/**
 * imap_inline_fetch_max_size: a small FETCH that sets no flag is answered on the event loop, so it does not wait
 * for the storage work pool; anything else still goes through the pool. Proved by holding the pool's only slot:
 * the small BODY.PEEK[] is answered meanwhile, a FETCH that sets \Seen, a larger message or a FETCH with the
 * setting at 0 is answered only once the slot is free again, with the same bytes.
 */
@Timeout(30)
class InlineFetchTest {
    private static final String SMALL = "From: a@example.org\r\nTo: b@example.org\r\nSubject: small\r\n\r\nshort body\r\n";
    private static final String LARGE = "From: a@example.org\r\nSubject: large\r\n\r\n" + "x".repeat(998) + "\r\n"
        + ("y".repeat(78) + "\r\n").repeat(100);
    private ImapTestServer server;
    private ImapTestClient c;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (c != null) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private FairWorkPool start(String maxSize) throws Exception {
        FairWorkPool pool = new FairWorkPool("imap-worker", 4, 1, 100);
        ServerResources loaded = ServerResources.load();
        ServerResources oneSlot = new ServerResources(loaded.registry(), loaded.limiter(), loaded.renderer(),
            loaded.searchEvaluator(), loaded.mimeRenderer(), loaded.mimeSearch(), pool);
        server = new ImapTestServer(new InMemoryMailStoreProvider(),
            Map.of("imap_inline_fetch_max_size", maxSize), false, true, x -> x, oneSlot);
        c = new ImapTestClient(server.port());
        c.readLine();
        c.ok("l", "LOGIN alice secret");
        append(SMALL);
        append(LARGE);
        c.ok("s", "SELECT INBOX");
        return pool;
    }

    private void append(String msg) throws Exception {
        c.sendLine("ap APPEND INBOX {" + msg.length() + "}");
        assertTrue(c.readLine().startsWith("+ "));
        c.sendLine(msg);
        List<String> r = c.readUntil("ap");
        assertTrue(r.get(r.size() - 1).startsWith("ap OK"), r.toString());
    }

    /** Occupies the pool's only slot until {@link #release}. */
    private void holdTheOnlySlot(FairWorkPool pool) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        pool.execute(pool.newLane(), () -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    /** Sends a command, asserts it is not answered while the slot is held, releases it, returns the answer. */
    private List<String> answeredOnlyAfterRelease(String tag, String command) throws Exception {
        c.sendLine(tag + " " + command);
        c.setTimeout(400);
        assertThrows(SocketTimeoutException.class, c::readLine, command + " was answered while the pool was busy");
        c.setTimeout(10_000);
        release.countDown();
        return c.readUntil(tag);
    }

    @Test
    void aSmallPeekIsAnsweredWhileThePoolIsBusyAndASeenSettingFetchWaitsForIt() throws Exception {
        FairWorkPool pool = start("65536");
        List<String> before = c.ok("f0", "FETCH 1 (BODY.PEEK[])");
        holdTheOnlySlot(pool);
        c.setTimeout(5_000);
        List<String> during = c.ok("f1", "FETCH 1 (BODY.PEEK[])");
        assertEquals(before.subList(0, before.size() - 1), during.subList(0, during.size() - 1));
        assertTrue(String.join("\n", during).contains("short body"), during.toString());
        List<String> seen = answeredOnlyAfterRelease("f2", "FETCH 1 (BODY[])");
        assertTrue(String.join("\n", seen).contains("\\Seen"), seen.toString());
    }

    @Test
    void aMessageLargerThanTheLimitGoesThroughThePool() throws Exception {
        FairWorkPool pool = start("4096");
        holdTheOnlySlot(pool);
        List<String> r = answeredOnlyAfterRelease("f", "FETCH 2 (BODY.PEEK[])");
        assertTrue(r.get(r.size() - 1).startsWith("f OK"), r.toString());
        assertTrue(String.join("\n", r).contains("y".repeat(78)), r.toString());
    }

    /**
     * A mailbox lock held by another thread (here by a listener of a STORE that does not return, as a long STORE
     * or a rescan would hold it) is not waited for on the event loop: the FETCH is answered from the pool once
     * the lock is free, and meanwhile another connection served by the same event loop is answered at once.
     */
    @Test
    void aBusyMailboxLockSendsTheFetchToThePoolInsteadOfBlockingTheEventLoop() throws Exception {
        start("65536");
        // the test server has two event loops, taken in turn: connections 1 and 3 share one
        ImapTestClient second = new ImapTestClient(server.port());
        ImapTestClient third = new ImapTestClient(server.port());
        try {
            second.readLine();
            third.readLine();
            third.ok("l", "LOGIN bob hunter2");
            org.mailserver.storage.MailStore store = server.store.open(
                new org.mailserver.core.auth.UserInfo("alice", "", "", "/tmp", null, Map.of()));
            org.mailserver.storage.Mailbox inbox = store.open("INBOX");
            CountDownLatch locked = new CountDownLatch(1);
            inbox.addListener(new org.mailserver.storage.MailboxListener() {
                @Override
                public void flagsChanged(List<org.mailserver.storage.MessageMeta> messages) {
                    locked.countDown(); // called with the mailbox locked: hold it until released
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Thread holder = new Thread(() -> {
                try {
                    inbox.store(List.of(2L), org.mailserver.storage.Mailbox.StoreMode.ADD,
                        java.util.Set.of(org.mailserver.storage.Flag.FLAGGED), java.util.Set.of(), 0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            holder.start();
            assertTrue(locked.await(5, java.util.concurrent.TimeUnit.SECONDS));
            c.sendLine("f FETCH 1 (BODY.PEEK[])");
            third.setTimeout(5_000);
            third.ok("n", "NOOP"); // the shared event loop is not stuck in the FETCH
            c.setTimeout(300);
            assertThrows(SocketTimeoutException.class, c::readLine, "answered while the mailbox was locked");
            c.setTimeout(10_000);
            release.countDown();
            holder.join(5_000);
            List<String> r = c.readUntil("f");
            assertTrue(String.join("\n", r).contains("short body"), r.toString());
            assertTrue(r.get(r.size() - 1).startsWith("f OK"), r.toString());
            inbox.close();
            store.close();
        } finally {
            second.close();
            third.close();
        }
    }

    /** Above the 64 KiB chunk size, an inline FETCH still goes out whole, once, at the end. */
    @Test
    void aLargerLimitRendersMoreThanOneChunkOnTheEventLoop() throws Exception {
        FairWorkPool pool = start("300000");
        String big = "Subject: big\r\n\r\n" + ("z".repeat(98) + "\r\n").repeat(1500); // 150 KB
        append(big);
        holdTheOnlySlot(pool);
        c.setTimeout(5_000);
        c.sendLine("f FETCH 3 (BODY.PEEK[])");
        String first = c.readLine();
        assertTrue(first.startsWith("* 3 FETCH (BODY[] {" + big.length() + "}"), first);
        assertTrue(first.contains("z".repeat(98)) && first.endsWith(")"), "the whole literal in one response");
        assertEquals("f OK Fetch completed.", c.readLine());
    }

    @Test
    void zeroTurnsItOff() throws Exception {
        FairWorkPool pool = start("0");
        holdTheOnlySlot(pool);
        List<String> r = answeredOnlyAfterRelease("f", "FETCH 1 (BODY.PEEK[])");
        assertTrue(String.join("\n", r).contains("short body"), r.toString());
        assertFalse(String.join("\n", r).contains("\\Seen"), r.toString());
    }

    /**
     * The reply of a command answered during its dispatch goes out with its data in one write: the client reads the
     * FETCH response and the tagged OK in one go. (They used to be two writes, two TLS records and two wake-ups of
     * the client: the tagged line was queued as a separate event loop task after the data had been flushed.)
     */
    @Test
    void anInlineFetchAndItsTaggedReplyLeaveInOneWrite() throws Exception {
        start("65536");
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", server.port())) {
            raw.setTcpNoDelay(true);
            raw.setSoTimeout(5_000);
            java.io.InputStream in = raw.getInputStream();
            java.io.OutputStream out = raw.getOutputStream();
            byte[] buf = new byte[65536];
            StringBuilder got = new StringBuilder();
            readUntil(in, buf, got, "* OK");
            out.write("l LOGIN alice secret\r\ns SELECT INBOX\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            readUntil(in, buf, got, "s OK");
            int split = 0;
            for (int i = 0; i < 20; i++) {
                String tag = "f" + i;
                out.write((tag + " FETCH 1 (BODY.PEEK[])\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                got.setLength(0);
                int n = in.read(buf); // whatever has arrived when the first bytes come
                got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
                if (!got.toString().contains(tag + " OK")) {
                    split++;
                    readUntil(in, buf, got, tag + " OK");
                }
                assertTrue(got.toString().contains("short body"), got.toString());
            }
            assertEquals(0, split, "FETCH responses whose tagged OK came in a separate write");
        }
    }

    private static void readUntil(java.io.InputStream in, byte[] buf, StringBuilder got, String marker) throws Exception {
        while (!got.toString().contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new java.io.EOFException("closed before " + marker + ": " + got);
            }
            got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}
