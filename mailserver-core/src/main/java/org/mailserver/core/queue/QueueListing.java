package org.mailserver.core.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Text renderings shared by the online and offline queue tools: {@code mailq}'s table, {@code postqueue -j}'s
 * JSON lines and {@code postcat -q}'s envelope dump, so both paths print exactly the same thing.
 */
public final class QueueListing {
    private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss", Locale.ROOT);

    private QueueListing() {
    }

    /** Like {@code postqueue -p}: '*' marks active messages, '!' held ones. */
    public static String mailq(List<QueueEntry> entries) {
        if (entries.isEmpty()) {
            return "Mail queue is empty\n";
        }
        StringBuilder out = new StringBuilder("-Queue ID-      --Size-- ----Arrival Time---- -Sender/Recipient-------\n");
        long total = 0;
        for (QueueEntry e : entries) {
            String mark = e.state() == QueueState.ACTIVE ? "*" : e.state() == QueueState.HOLD ? "!" : "";
            out.append(String.format(Locale.ROOT, "%-15s %8d %-20s  %s%n", e.id() + mark, e.size(),
                ARRIVAL.format(e.arrival().atZone(ZoneId.systemDefault())), e.sender().isEmpty() ? "MAILER-DAEMON" : e.sender()));
            String lastReason = null;
            for (QueueEntry.Pending p : e.recipients()) {
                if (p.reason() != null && !p.reason().equals(lastReason)) {
                    out.append(String.format(Locale.ROOT, "%46s(%s)%n", "", p.reason()));
                    lastReason = p.reason();
                }
                out.append(String.format(Locale.ROOT, "%46s%s%n", "", p.address()));
            }
            out.append('\n');
            total += e.size();
        }
        out.append(String.format(Locale.ROOT, "-- %d Kbytes in %d Request%s.%n", (total + 1023) / 1024, entries.size(),
            entries.size() == 1 ? "" : "s"));
        return out.toString();
    }

    /** Like {@code postqueue -j}: one JSON object per line. */
    public static String json(List<QueueEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (QueueEntry e : entries) {
            out.append("{\"queue_name\": ").append(str(e.state().directory()))
                .append(", \"queue_id\": ").append(str(e.id()))
                .append(", \"arrival_time\": ").append(e.arrival().getEpochSecond())
                .append(", \"message_size\": ").append(e.size())
                .append(", \"sender\": ").append(str(e.sender()))
                .append(", \"recipients\": [");
            for (int i = 0; i < e.recipients().size(); i++) {
                QueueEntry.Pending p = e.recipients().get(i);
                out.append(i == 0 ? "" : ", ").append("{\"address\": ").append(str(p.address()));
                if (p.reason() != null) {
                    out.append(", \"delay_reason\": ").append(str(p.reason()));
                }
                out.append('}');
            }
            out.append("]}\n");
        }
        return out.toString();
    }

    /** Like {@code postcat -q}: the envelope, each recipient's state, then the content. */
    public static String cat(QueuedMessage m, QueueState state, InputStream content) throws IOException {
        StringBuilder out = new StringBuilder();
        Envelope env = m.envelope();
        out.append("*** ENVELOPE RECORDS ").append(state.directory()).append('/').append(m.id()).append(" ***\n");
        out.append("message_size: ").append(m.contentSize()).append('\n');
        out.append("message_arrival_time: ").append(DsnComposer.date(m.arrival())).append('\n');
        out.append("sender: ").append(env.sender()).append('\n');
        field(out, "envelope_id", env.envId());
        field(out, "return", env.ret());
        field(out, "body_type", env.bodyType());
        field(out, "client", env.client());
        field(out, "helo", env.helo());
        field(out, "sasl_username", env.authUser());
        out.append("attempts: ").append(m.attempts()).append('\n');
        for (int i = 0; i < env.recipients().size(); i++) {
            Envelope.Recipient r = env.recipients().get(i);
            QueuedMessage.RecipientState st = m.state(i);
            out.append("recipient: ").append(r.address());
            if (r.orcpt() != null) {
                out.append(" orcpt=").append(r.orcpt());
            }
            if (r.notifyOn() != null) {
                out.append(" notify=").append(r.notifyOn());
            }
            if (st.done() != null) {
                out.append(" [done: ").append(st.done().name().toLowerCase(Locale.ROOT)).append(']');
            } else if (st.lastReply() != null) {
                out.append(" [deferred: ").append(st.lastReply()).append(']');
            }
            out.append('\n');
        }
        out.append("*** MESSAGE CONTENTS ").append(m.id()).append(" ***\n");
        out.append(new String(content.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n"));
        out.append("*** MESSAGE FILE END ").append(m.id()).append(" ***\n");
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(name).append(": ").append(value).append('\n');
        }
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
