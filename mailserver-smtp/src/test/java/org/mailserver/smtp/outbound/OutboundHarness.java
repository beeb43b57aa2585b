package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.config.Settings;
import org.mailserver.core.delivery.DeliveryAgent;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.delivery.DeliveryJournal;
import org.mailserver.core.delivery.DeliveryRequest;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.core.delivery.Router;
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.FileMessageQueue;
import org.mailserver.core.queue.IncomingMessage;
import org.mailserver.core.queue.QueueManager;
import org.mailserver.core.queue.QueueManagerConfig;

/**
 * The queue, the queue manager and the real SMTP agent wired together for tests, with a capturing
 * {@code local} agent (where bounces to local senders land) and a record of every recipient result.
 */
final class OutboundHarness implements AutoCloseable {
    final FileMessageQueue queue;
    final QueueManager qmgr;
    final SmtpDeliveryAgent smtp;
    final SmtpDeliveryAgent lmtp;
    /** Messages delivered locally: envelope sender and content. */
    final List<Map.Entry<String, byte[]>> local = new CopyOnWriteArrayList<>();
    final Map<String, List<RecipientResult>> results = new ConcurrentHashMap<>();

    OutboundHarness(Path dir, TestDnsServer dns, Map<InetAddress, Integer> mxPorts, Map<String, String> extra) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of(
            "myhostname", "mx.local.test", "mydestination", "local.test", "dns_resolver", dns.address(),
            "queue_run_delay", "1s", "minimal_backoff_time", "1s", "maximal_backoff_time", "1s",
            "smtp_connect_timeout", "2s", "smtp_helo_timeout", "5s", "delay_warning_time", "0"));
        values.putAll(extra);
        Settings s = Settings.of(values);
        queue = new FileMessageQueue(dir);
        OutboundConfig c = OutboundConfig.from(s);
        smtp = new SmtpDeliveryAgent("smtp", c, DnsResolver.create(dns.address(), java.time.Duration.ofSeconds(2)),
            a -> mxPorts.getOrDefault(a, 1));
        DeliveryAgents agents = new DeliveryAgents();
        agents.register(recording(smtp));
        lmtp = new SmtpDeliveryAgent("lmtp", c, DnsResolver.create(dns.address(), java.time.Duration.ofSeconds(2)),
            a -> mxPorts.getOrDefault(a, 1));
        agents.register(recording(lmtp));
        agents.register(new DeliveryAgent() {
            @Override
            public String transport() {
                return "local";
            }

            @Override
            public void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception {
                try (InputStream in = request.content().open()) {
                    local.add(Map.entry(request.envelope().sender(), in.readAllBytes()));
                }
                for (DeliveryRequest.Rcpt r : request.recipients()) {
                    journal.report(RecipientResult.sent(r.index(), "2.0.0", "delivered", "local"));
                }
            }
        });
        qmgr = new QueueManager(queue, agents, Router.fromSettings(s, LocalDomains.fromSettings(s)), QueueManagerConfig.from(s),
            Clock.systemUTC());
        qmgr.start();
    }

    private DeliveryAgent recording(DeliveryAgent inner) {
        return new DeliveryAgent() {
            @Override
            public String transport() {
                return inner.transport();
            }

            @Override
            public void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception {
                inner.deliver(request, new DeliveryJournal() {
                    @Override
                    public void starting(int index) throws java.io.IOException {
                        journal.starting(index);
                    }

                    @Override
                    public void report(RecipientResult result) throws java.io.IOException {
                        String rcpt = request.envelope().recipients().get(result.index()).address();
                        results.computeIfAbsent(rcpt, k -> new CopyOnWriteArrayList<>()).add(result);
                        journal.report(result);
                    }
                });
            }
        };
    }

    String send(String sender, String rcpt, String notify, String orcpt) throws Exception {
        Envelope env = new Envelope(sender, List.of(new Envelope.Recipient(rcpt, orcpt, notify)), "ENV-7", null, "8BITMIME", false,
            "client[127.0.0.1]", "client", null, Instant.now());
        IncomingMessage in = queue.begin(env);
        byte[] b = ("From: <" + sender + ">\r\nTo: <" + rcpt + ">\r\nSubject: outbound test\r\nMessage-ID: <t1@local.test>\r\n\r\n"
            + "Hello.\r\n.leading dot\r\n").getBytes(StandardCharsets.UTF_8);
        in.write(b, 0, b.length);
        return in.commit();
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (!cond.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    boolean gone(String id) {
        return queue.find(id).isEmpty();
    }

    RecipientResult last(String rcpt) {
        List<RecipientResult> l = results.get(rcpt);
        return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    @Override
    public void close() {
        qmgr.stop();
        smtp.stop();
        lmtp.stop();
    }
}
