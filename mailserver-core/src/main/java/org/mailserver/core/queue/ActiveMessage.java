package org.mailserver.core.queue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailserver.core.delivery.DeliveryJournal;
import org.mailserver.core.delivery.DeliveryRequest;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.core.delivery.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message in the queue manager's active set, for the length of one delivery attempt: the jobs
 * still running, the outcomes collected for the end-of-attempt bookkeeping (bounces and success notices
 * are sent once per attempt, listing every recipient concerned), and requests from the admin tools
 * that wait for the attempt to end. Outcomes are written to the queue file as they arrive
 * ({@link DeliveryJournal}), each forced to disk before the agent continues, except the 'D' record of a
 * local delivery (see {@link FileMessageQueue#appendUnforced}): forced with the attempt record if the
 * file stays, never if it is removed.
 */
final class ActiveMessage {
    private static final Logger log = LoggerFactory.getLogger("org.mailserver.delivery");

    final QueuedMessage message;
    final Instant queuedAt;
    int jobsLeft;
    volatile boolean deleteRequested;
    volatile boolean holdRequested;
    /** Recipients refused permanently in this attempt; marked done only after the bounce is queued. */
    final List<RecipientResult> bounced = new ArrayList<>();
    /** Recipients delivered in this attempt whose NOTIFY asks for SUCCESS (local deliveries). */
    final List<RecipientResult> delivered = new ArrayList<>();

    /** Found in active/ at start: an earlier delivery attempt may have been cut short by a crash. */
    final boolean recovered;

    ActiveMessage(QueuedMessage message, Instant queuedAt, boolean recovered) {
        this.message = message;
        this.queuedAt = queuedAt;
        this.recovered = recovered;
    }

    String id() {
        return message.id();
    }

    /** The journal one job writes through. */
    DeliveryJournal journal(FileMessageQueue queue, Route route, Clock clock, Instant jobStart) {
        return new DeliveryJournal() {
            @Override
            public void starting(int index) {
                // Nothing to write: a crash during this delivery leaves the file in active/, and
                // everything recovered from active/ is treated as in doubt (see QueueManager).
            }

            @Override
            public void report(RecipientResult r) throws IOException {
                String reply = QueueFile.clean(r.reply());
                switch (r.status()) {
                    case SENT -> {
                        String done = r.index() + "\tsent\t" + r.dsn() + "\t" + reply;
                        if ("local".equals(route.transport())) {
                            // Stored durably in the mailbox already; a lost record only makes the recipient
                            // "in doubt" after a crash (file still in active/), and the mailbox is checked.
                            queue.appendUnforced(QueueState.ACTIVE, id(), QueueFile.DONE, done);
                        } else {
                            queue.append(QueueState.ACTIVE, id(), QueueFile.DONE, done);
                        }
                        message.markDone(r.index(), QueuedMessage.Outcome.SENT, r.dsn(), reply);
                        String notify = message.envelope().recipients().get(r.index()).notifyOn();
                        if (notify != null && notify.toUpperCase(Locale.ROOT).contains("SUCCESS") && "local".equals(route.transport())) {
                            synchronized (ActiveMessage.this) {
                                delivered.add(r);
                            }
                        }
                    }
                    case DEFERRED -> {
                        queue.append(QueueState.ACTIVE, id(), QueueFile.DEFERRED,
                            r.index() + "\t" + clock.millis() + "\t" + r.dsn() + "\t" + reply);
                        message.markDeferred(r.index(), r.dsn(), reply);
                    }
                    case BOUNCED -> {
                        synchronized (ActiveMessage.this) {
                            bounced.add(r);
                        }
                    }
                }
                logResult(r, jobStart, clock.instant());
            }
        };
    }

    private void logResult(RecipientResult r, Instant jobStart, Instant now) {
        var rcpt = message.envelope().recipients().get(r.index());
        Instant arrival = message.arrival();
        double a = seconds(arrival, queuedAt);
        double b = seconds(queuedAt, jobStart);
        double total = seconds(arrival, now);
        String status = switch (r.status()) {
            case SENT -> "sent";
            case DEFERRED -> "deferred";
            case BOUNCED -> "bounced";
        };
        StringBuilder line = new StringBuilder();
        line.append(id()).append(": to=<").append(rcpt.address()).append('>');
        if (rcpt.orcpt() != null) {
            // As Postfix: orig_to only when the original recipient differs (alias expansion, rewriting).
            String original = DsnComposer.orcptField(rcpt.orcpt()).replaceFirst("^[^;]*; ", "");
            if (!original.equalsIgnoreCase(rcpt.address())) {
                line.append(", orig_to=<").append(original).append('>');
            }
        }
        line.append(", relay=").append(r.relay() == null ? "none" : r.relay());
        if (r.tls() != null) {
            line.append(", tls=").append(r.tls());
        }
        line.append(", delay=").append(fmt(total))
            .append(", delays=").append(fmt(a)).append('/').append(fmt(b)).append('/')
            .append(fmt(r.setupSeconds())).append('/').append(fmt(r.transmitSeconds()))
            .append(", dsn=").append(r.dsn()).append(", status=").append(status)
            .append(" (").append(r.reply()).append(')');
        log.info(line.toString());
    }

    static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1e9);
    }

    /** Postfix prints delays with up to two significant decimals and no trailing zeros. */
    static String fmt(double s) {
        if (s < 0.005) {
            return "0";
        }
        String v = s >= 10 ? String.format(Locale.ROOT, "%.1f", s) : String.format(Locale.ROOT, "%.2f", s);
        v = v.contains(".") ? v.replaceAll("0+$", "").replaceAll("\\.$", "") : v;
        return v;
    }

    /** The recipients of this message for one route, with their in-doubt flags. */
    List<DeliveryRequest.Rcpt> rcpts(List<Integer> indexes) {
        List<DeliveryRequest.Rcpt> out = new ArrayList<>();
        for (int i : indexes) {
            out.add(new DeliveryRequest.Rcpt(i, message.envelope().recipients().get(i), recovered || message.state(i).inDoubt()));
        }
        return out;
    }
}
