package org.mailserver.core.queue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailserver.core.delivery.RecipientResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when all jobs of one delivery attempt of a message are over, in this order:
 * <ol>
 * <li>an admin delete wins: the file is removed;</li>
 * <li>recipients refused permanently get one failure DSN, queued (and so durable) before their 'D' records;</li>
 * <li>local deliveries with NOTIFY=SUCCESS get one success DSN;</li>
 * <li>no recipient left: the file is removed ({@code ID: removed});</li>
 * <li>past {@code maximal_queue_lifetime} ({@code bounce_queue_lifetime} for the null sender): the rest expire
 *     and bounce with their last reason;</li>
 * <li>past {@code delay_warning_time}: one delay notice; then an attempt record and the move to deferred/
 *     (or hold/ when an admin asked) with the next retry time.</li>
 * </ol>
 * A DSN is never sent for a message with the null sender (RFC 3461 6.2: no bounce of a bounce), and only
 * to recipients whose NOTIFY allows it (RFC 3461 4.1; absent NOTIFY means FAILURE and DELAY here).
 * A crash between queuing a DSN and writing the 'D' records sends that DSN twice, never zero times.
 */
final class AttemptEnd {
    private static final Logger log = LoggerFactory.getLogger("org.mailserver.delivery");

    private final QueueManager qmgr;

    AttemptEnd(QueueManager qmgr) {
        this.qmgr = qmgr;
    }

    /** Returns the next attempt time when the message stays deferred. */
    Optional<Instant> run(ActiveMessage am) throws IOException {
        FileMessageQueue queue = qmgr.queue;
        QueuedMessage m = am.message;
        String id = m.id();
        Instant now = qmgr.clock.instant();
        if (am.deleteRequested) {
            queue.delete(id, QueueState.ACTIVE);
            log.info("{}: removed (deleted by the administrator)", id);
            return Optional.empty();
        }
        List<RecipientResult> bounced;
        List<RecipientResult> delivered;
        synchronized (am) {
            bounced = new ArrayList<>(am.bounced);
            delivered = new ArrayList<>(am.delivered);
        }
        if (!bounced.isEmpty()) {
            notify(DsnComposer.Kind.FAILURE, am, entries(m, bounced, "FAILURE"), now, null);
            for (RecipientResult r : bounced) {
                markDone(m, r.index(), QueuedMessage.Outcome.BOUNCED, r.dsn(), r.reply());
            }
        }
        if (!delivered.isEmpty()) {
            notify(DsnComposer.Kind.SUCCESS, am, entries(m, delivered, "SUCCESS"), now, null);
        }
        List<Integer> pending = m.pendingRecipients();
        if (pending.isEmpty()) {
            queue.retire(id);
            log.info("{}: removed", id);
            return Optional.empty();
        }
        Duration lifetime = m.envelope().sender().isEmpty() ? qmgr.config.bounceLifetime() : qmgr.config.maximalLifetime();
        if (!now.isBefore(m.arrival().plus(lifetime))) {
            expire(am, pending, now);
            queue.retire(id);
            log.info("{}: removed", id);
            return Optional.empty();
        }
        Duration warn = qmgr.config.delayWarning();
        if (!warn.isZero() && !m.warned() && !now.isBefore(m.arrival().plus(warn))) {
            List<RecipientResult> late = new ArrayList<>();
            for (int i : pending) {
                QueuedMessage.RecipientState st = m.state(i);
                late.add(RecipientResult.deferred(i, st.lastDsn() == null ? "4.0.0" : st.lastDsn(),
                    st.lastReply() == null ? "delivery temporarily suspended" : st.lastReply(), null));
            }
            notify(DsnComposer.Kind.DELAY, am, entries(m, late, "DELAY"), now, m.arrival().plus(lifetime));
            queue.append(QueueState.ACTIVE, id, QueueFile.WARNED, Long.toString(now.toEpochMilli()));
            m.markWarned();
        }
        queue.append(QueueState.ACTIVE, id, QueueFile.ATTEMPT, Long.toString(now.toEpochMilli()));
        m.markAttempt(now);
        if (am.holdRequested) {
            queue.move(id, QueueState.ACTIVE, QueueState.HOLD);
            log.info("{}: placed on hold", id);
            return Optional.empty();
        }
        queue.move(id, QueueState.ACTIVE, QueueState.DEFERRED);
        return Optional.of(now.plus(qmgr.config.backoff(m.attempts())));
    }

    private void expire(ActiveMessage am, List<Integer> pending, Instant now) throws IOException {
        QueuedMessage m = am.message;
        List<RecipientResult> expired = new ArrayList<>();
        for (int i : pending) {
            QueuedMessage.RecipientState st = m.state(i);
            String dsn = st.lastDsn() == null || st.lastDsn().isEmpty() ? "4.4.7" : st.lastDsn();
            String reason = "message expired after " + Duration.between(m.arrival(), now).toSeconds() + "s in the queue"
                + (st.lastReply() == null ? "" : "; last error: " + st.lastReply());
            expired.add(RecipientResult.bounced(i, dsn, reason, null));
            log.info("{}: to=<{}>, relay=none, delay={}, dsn={}, status=expired, returned to sender ({})", m.id(),
                m.envelope().recipients().get(i).address(), ActiveMessage.fmt(ActiveMessage.seconds(m.arrival(), now)), dsn, reason);
        }
        notify(DsnComposer.Kind.FAILURE, am, entries(m, expired, "FAILURE"), now, null);
        for (RecipientResult r : expired) {
            markDone(m, r.index(), QueuedMessage.Outcome.EXPIRED, r.dsn(), r.reply());
        }
    }

    private void markDone(QueuedMessage m, int index, QueuedMessage.Outcome outcome, String dsn, String reply) throws IOException {
        String clean = QueueFile.clean(reply);
        qmgr.queue.append(QueueState.ACTIVE, m.id(), QueueFile.DONE,
            index + "\t" + outcome.name().toLowerCase(Locale.ROOT) + "\t" + dsn + "\t" + clean);
        m.markDone(index, outcome, dsn, clean);
    }

    /** The DSN entries for recipients whose NOTIFY asks for this kind of notice. */
    private static List<DsnComposer.Entry> entries(QueuedMessage m, List<RecipientResult> results, String kind) {
        List<DsnComposer.Entry> out = new ArrayList<>();
        for (RecipientResult r : results) {
            Envelope.Recipient rcpt = m.envelope().recipients().get(r.index());
            if (!wants(rcpt.notifyOn(), kind)) {
                continue;
            }
            String mta = r.remoteMta() && r.relay() != null ? r.relay().replaceFirst("\\[.*$", "") : null;
            out.add(new DsnComposer.Entry(rcpt.address(), rcpt.orcpt(), r.dsn(), r.reply(), mta));
        }
        return out;
    }

    /** RFC 3461 4.1: NEVER alone, or a list; absent = FAILURE,DELAY (implementation choice, as Postfix). */
    static boolean wants(String notify, String kind) {
        if (notify == null || notify.isBlank()) {
            return !"SUCCESS".equals(kind);
        }
        String n = notify.toUpperCase(Locale.ROOT);
        return !n.contains("NEVER") && n.contains(kind);
    }

    private void notify(DsnComposer.Kind kind, ActiveMessage am, List<DsnComposer.Entry> entries, Instant now,
                        Instant retryUntil) throws IOException {
        QueuedMessage m = am.message;
        if (entries.isEmpty()) {
            return;
        }
        if (m.envelope().sender().isEmpty()) {
            log.info("{}: sender non-delivery notification not sent: null sender (no bounce of a bounce)", m.id());
            return;
        }
        byte[] dsn;
        try (InputStream content = qmgr.content(m)) {
            dsn = new DsnComposer(qmgr.config.hostname()).compose(kind, m.id(), m.envelope(), entries, content,
                m.contentSize(), qmgr.config.bounceSizeLimit(), now, retryUntil);
        }
        Envelope env = new Envelope("", List.of(new Envelope.Recipient(m.envelope().sender())), null, null,
            "8BITMIME", m.envelope().smtpUtf8(), "local", qmgr.config.hostname(), null, now);
        IncomingMessage out = qmgr.queue.begin(env);
        try {
            out.write(dsn, 0, dsn.length);
            String nid = out.commit();
            String what = switch (kind) {
                case FAILURE -> "sender non-delivery notification";
                case DELAY -> "sender delay notification";
                case SUCCESS -> "sender delivery status notification";
            };
            log.info("{}: {}: {}", m.id(), what, nid);
        } catch (IOException | RuntimeException e) {
            out.abort();
            throw e;
        }
    }
}
