package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgent;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.delivery.DeliveryJournal;
import org.mailserver.core.delivery.DeliveryRequest;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.core.delivery.Router;

@Timeout(30)
class QueueManagerTest {
    @TempDir
    Path dir;
    QueueManager qmgr;
    FileMessageQueue queue;
    final DeliveryAgents agents = new DeliveryAgents();

    /** A scripted transport: records what it got and answers per (recipient, attempt number). */
    static final class ScriptedAgent implements DeliveryAgent {
        final String transport;
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final Map<String, byte[]> contents = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        volatile BiFunction<String, Integer, String> script = (rcpt, n) -> "2.0.0 ok";
        final AtomicInteger concurrent = new AtomicInteger();
        final Map<String, Integer> maxConcurrent = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> current = new ConcurrentHashMap<>();
        volatile long sleepMillis;

        ScriptedAgent(String transport) {
            this.transport = transport;
        }

        @Override
        public String transport() {
            return transport;
        }

        @Override
        public void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception {
            String dest = request.route().nexthop();
            int now = current.computeIfAbsent(dest, k -> new AtomicInteger()).incrementAndGet();
            maxConcurrent.merge(dest, now, Math::max);
            try {
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis);
                }
                for (DeliveryRequest.Rcpt r : request.recipients()) {
                    int n = attempts.computeIfAbsent(r.address(), k -> new AtomicInteger()).incrementAndGet();
                    String answer = script.apply(r.address(), n);
                    String dsn = answer.substring(0, answer.indexOf(' '));
                    if (dsn.startsWith("2")) {
                        try (InputStream in = request.content().open()) {
                            contents.put(r.address() + "#" + request.queueId(), in.readAllBytes());
                        }
                        delivered.add(r.address());
                    }
                    journal.report(RecipientResult.of(r.index(), dsn, answer, dest + "[127.0.0.1]:25"));
                }
            } finally {
                current.get(dest).decrementAndGet();
            }
        }
    }

    final ScriptedAgent local = new ScriptedAgent("local");
    final ScriptedAgent smtp = new ScriptedAgent("smtp");

    void start(Map<String, String> extra) throws Exception {
        Map<String, String> values = new java.util.HashMap<>(Map.of(
            "myhostname", "mx.local.test", "mydestination", "local.test",
            "queue_run_delay", "1s", "minimal_backoff_time", "1s", "maximal_backoff_time", "2s",
            "delay_warning_time", "0h"));
        values.putAll(extra);
        Settings s = Settings.of(values);
        queue = new FileMessageQueue(dir);
        agents.register(local);
        agents.register(smtp);
        qmgr = new QueueManager(queue, agents, Router.fromSettings(s, org.mailserver.core.address.LocalDomains.fromSettings(s)),
            QueueManagerConfig.from(s), Clock.systemUTC());
        qmgr.start();
    }

    @AfterEach
    void stop() {
        if (qmgr != null) {
            qmgr.stop();
        }
    }

    String send(String sender, String notify, String... rcpts) throws Exception {
        List<Envelope.Recipient> rs = java.util.Arrays.stream(rcpts).map(r -> new Envelope.Recipient(r, null, notify)).toList();
        Envelope env = new Envelope(sender, rs, "ENV42", null, "7BIT", false, "c[127.0.0.1]", "c", null, Instant.now());
        IncomingMessage in = queue.begin(env);
        byte[] b = ("From: " + sender + "\r\nSubject: test\r\nMessage-ID: <m1@x>\r\n\r\nhello\r\n").getBytes(StandardCharsets.UTF_8);
        in.write(b, 0, b.length);
        return in.commit();
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    boolean gone(String id) {
        return queue.find(id).isEmpty();
    }

    @Test
    void deliversAndRemoves() throws Exception {
        start(Map.of());
        String id = send("a@remote.test", null, "u@local.test", "x@remote.test");
        await(() -> gone(id), "removal");
        assertEquals(List.of("u@local.test"), local.delivered);
        assertEquals(List.of("x@remote.test"), smtp.delivered);
        assertTrue(new String(local.contents.get("u@local.test#" + id), StandardCharsets.UTF_8).contains("hello"));
    }

    @Test
    void anAgentThrowingAnErrorDefersAndGivesItsDestinationSlotBack() throws Exception {
        // A slot kept by a job that ended in an Error stops that destination for good (one slot here),
        // while the other transports keep going: the DaemonCrashTest symptom this guards against.
        start(Map.of("local_destination_concurrency_limit", "1"));
        local.script = (rcpt, n) -> {
            if (rcpt.startsWith("first") && n == 1) {
                throw new NoClassDefFoundError("simulated broken agent");
            }
            return "2.0.0 ok";
        };
        String first = send("a@remote.test", null, "first@local.test");
        await(() -> local.attempts.containsKey("first@local.test"), "first attempt");
        String second = send("a@remote.test", null, "second@local.test");
        await(() -> gone(second), "the next local delivery on the freed slot");
        await(() -> gone(first), "the failed one retried and delivered");
        assertEquals(2, local.attempts.get("first@local.test").get());
    }

    @Test
    void defersWithBackoffThenDelivers() throws Exception {
        start(Map.of());
        smtp.script = (rcpt, n) -> n < 3 ? "4.4.1 421 try later" : "2.0.0 250 ok";
        String id = send("a@local.test", null, "x@remote.test");
        await(() -> queue.find(id).orElse(null) == QueueState.DEFERRED, "deferral");
        assertTrue(qmgr.admin().list().get(0).recipients().get(0).reason().contains("try later"));
        await(() -> gone(id), "delivery after retries");
        assertEquals(3, smtp.attempts.get("x@remote.test").get());
        assertTrue(local.delivered.isEmpty(), "no bounce");
    }

    @Test
    void permanentFailureBouncesOnlyThatRecipient() throws Exception {
        start(Map.of());
        smtp.script = (rcpt, n) -> rcpt.startsWith("bad") ? "5.1.1 550 no such user" : "2.0.0 250 ok";
        String id = send("sender@local.test", null, "good@remote.test", "bad@remote.test");
        await(() -> gone(id) && local.delivered.size() == 1, "bounce");
        assertEquals(List.of("good@remote.test"), smtp.delivered);
        String dsn = new String(local.contents.values().iterator().next(), StandardCharsets.UTF_8);
        assertTrue(dsn.contains("Content-Type: multipart/report; report-type=delivery-status"), dsn);
        assertTrue(dsn.contains("Final-Recipient: rfc822; bad@remote.test"), dsn);
        assertFalse(dsn.contains("Final-Recipient: rfc822; good@remote.test"), dsn);
        assertTrue(dsn.contains("Action: failed"));
        assertTrue(dsn.contains("Status: 5.1.1"));
        assertTrue(dsn.contains("Original-Envelope-Id: ENV42"));
        assertTrue(dsn.contains("Content-Type: message/rfc822"), "full message returned by default");
        assertTrue(dsn.contains("From: MAILER-DAEMON@mx.local.test"));
    }

    @Test
    void nullSenderIsNeverBounced() throws Exception {
        start(Map.of());
        smtp.script = (rcpt, n) -> "5.1.1 550 no such user";
        String id = send("", null, "bad@remote.test");
        await(() -> gone(id), "removal");
        Thread.sleep(300);
        assertTrue(local.delivered.isEmpty());
        assertEquals(List.of(), queue.list(QueueState.ACTIVE));
        assertEquals(List.of(), queue.list(QueueState.DEFERRED));
    }

    @Test
    void notifyNeverSuppressesTheBounceAndSuccessIsReportedForLocal() throws Exception {
        start(Map.of());
        smtp.script = (rcpt, n) -> "5.1.1 550 no such user";
        String a = send("s@remote.test", "NEVER", "bad@remote.test");
        await(() -> gone(a), "removal");
        Thread.sleep(200);
        assertTrue(local.delivered.isEmpty() && smtp.delivered.isEmpty());
        smtp.script = (rcpt, n) -> "2.0.0 250 ok";
        String b = send("s@remote.test", "SUCCESS", "u@local.test");
        await(() -> gone(b) && smtp.delivered.size() == 1, "success DSN to the remote sender");
        String dsn = new String(smtp.contents.values().iterator().next(), StandardCharsets.UTF_8);
        assertTrue(dsn.contains("Action: delivered"), dsn);
        assertTrue(dsn.contains("text/rfc822-headers"), dsn);
    }

    @Test
    void expiresAfterTheLifetimeWithTheLastReason() throws Exception {
        start(Map.of("maximal_queue_lifetime", "3s", "delay_warning_time", "1s"));
        smtp.script = (rcpt, n) -> "4.4.1 connect to mx.remote.test: Connection refused";
        String id = send("s@local.test", null, "x@remote.test");
        await(() -> gone(id), "expiry");
        await(() -> local.delivered.size() == 2, "delay notice and bounce");
        List<String> notices = local.contents.values().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        assertTrue(notices.stream().anyMatch(n -> n.contains("Action: delayed") && n.contains("Will-Retry-Until:")), notices.toString());
        assertTrue(notices.stream().anyMatch(n -> n.contains("Action: failed") && n.contains("Connection refused")
            && n.contains("message expired")), notices.toString());
    }

    @Test
    void recoversCommittedMessagesAndSkipsDoneRecipients() throws Exception {
        queue = new FileMessageQueue(dir);
        String id = send("s@remote.test", null, "u1@local.test", "u2@local.test");
        queue.append(QueueState.ACTIVE, id, QueueFile.DONE, "0\tsent\t2.0.0\tSaved");
        // A never-committed file left behind by a crash during DATA.
        IncomingMessage partial = queue.begin(QueueFileTest.envelope("s@remote.test", "u3@local.test"));
        partial.write(new byte[] {'x'}, 0, 1);
        start(Map.of());
        await(() -> gone(id), "recovery delivery");
        assertEquals(List.of("u2@local.test"), local.delivered);
        // incoming/ now holds the manager's spare files (empty), and not the unfinished one
        assertFalse(queue.list(QueueState.INCOMING).contains(partial.queueId()));
        for (String spare : queue.list(QueueState.INCOMING)) {
            assertEquals(0, Files.size(queue.path(QueueState.INCOMING, spare)), spare);
        }
    }

    @Test
    void aCompleteFileLeftInIncomingIsDeliveredAtStart() throws Exception {
        // Forced in its spare file in incoming/; the crash came before the rename into active/ reached the disk.
        queue = new FileMessageQueue(dir);
        String id = send("s@remote.test", null, "u1@local.test");
        Files.move(queue.path(QueueState.ACTIVE, id), queue.path(QueueState.INCOMING, id));
        start(Map.of());
        await(() -> gone(id) && !Files.exists(queue.path(QueueState.INCOMING, id)), "recovery delivery");
        assertEquals(List.of("u1@local.test"), local.delivered);
    }

    @Test
    void perDestinationConcurrencyIsHonouredAndOthersAreNotBlocked() throws Exception {
        start(Map.of("smtp_destination_concurrency_limit", "2"));
        smtp.sleepMillis = 150;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(send("s@local.test", null, "r" + i + "@slow.test"));
        }
        String fast = send("s@local.test", null, "f@fast.test");
        long t0 = System.currentTimeMillis();
        await(() -> smtp.delivered.contains("f@fast.test"), "fast destination");
        assertTrue(System.currentTimeMillis() - t0 < 600, "fast destination waited behind the slow one");
        await(() -> ids.stream().allMatch(this::gone) && gone(fast), "all");
        assertEquals(2, smtp.maxConcurrent.get("slow.test"));
    }

    @Test
    void adminHoldReleaseDeleteAndList() throws Exception {
        start(Map.of("minimal_backoff_time", "60s", "maximal_backoff_time", "60s"));
        smtp.script = (rcpt, n) -> n == 1 ? "4.4.1 later" : "2.0.0 250 ok";
        String a = send("s@local.test", null, "a@remote.test");
        String b = send("s@local.test", null, "b@remote.test");
        await(() -> queue.find(a).orElse(null) == QueueState.DEFERRED && queue.find(b).orElse(null) == QueueState.DEFERRED, "deferral");
        assertTrue(QueueListing.mailq(qmgr.admin().list()).contains("(4.4.1 later)"));
        assertTrue(QueueListing.json(qmgr.admin().list()).contains("\"queue_name\": \"deferred\""));
        assertEquals(List.of(a), qmgr.admin().hold(List.of(a)));
        assertEquals(QueueState.HOLD, queue.find(a).orElseThrow());
        assertTrue(QueueListing.mailq(qmgr.admin().list()).contains(a + "!"));
        assertEquals(List.of(b), qmgr.admin().delete(List.of("ALL"), QueueState.DEFERRED));
        assertTrue(gone(b));
        String cat = qmgr.admin().cat(a);
        assertTrue(cat.contains("*** ENVELOPE RECORDS hold/" + a) && cat.contains("recipient: a@remote.test [deferred: 4.4.1 later]")
            && cat.contains("Subject: test"), cat);
        assertEquals(List.of(a), qmgr.admin().release(List.of(a)));
        await(() -> gone(a), "delivery after release");
    }

    @Test
    void rateDelaySpacesDeliveriesToOneDestination() throws Exception {
        start(Map.of("default_destination_rate_delay", "1s"));
        List<Long> starts = new CopyOnWriteArrayList<>();
        smtp.script = (rcpt, n) -> {
            if (rcpt.endsWith("@rated.test")) {
                starts.add(System.currentTimeMillis());
            }
            return "2.0.0 250 ok";
        };
        String a = send("s@local.test", null, "a@rated.test");
        String b = send("s@local.test", null, "b@rated.test");
        String c = send("s@local.test", null, "c@other.test");
        await(() -> gone(c), "other destination");
        await(() -> gone(a) && gone(b), "rated destination");
        assertEquals(2, starts.size());
        assertEquals(1, smtp.maxConcurrent.get("rated.test"));
        assertTrue(Math.abs(starts.get(1) - starts.get(0)) >= 950, "two deliveries to rated.test less than 1s apart: " + starts);
    }
}
