package org.mailserver.core.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Builds delivery status notifications: RFC 3464 {@code multipart/report; report-type=delivery-status}
 * (RFC 6522) with a human-readable part, the {@code message/delivery-status} part, and the original
 * message ({@code message/rfc822}) or its headers ({@code text/rfc822-headers}) per RET (RFC 3461 4.3).
 * Sent from MAILER-DAEMON with the null reverse path (RFC 3461 6.2, RFC 5321 4.5.5), which is what keeps
 * a bounce from ever being bounced. The queue manager calls this and enqueues the result.
 */
public final class DsnComposer {

    /** The kind of notice, with RFC 3464 2.3.3 Action values. */
    public enum Kind {
        FAILURE("failed", "Undelivered Mail Returned to Sender", "could not be delivered"),
        DELAY("delayed", "Delayed Mail (still being retried)", "has not yet been delivered; delivery will be retried"),
        SUCCESS("delivered", "Successful Mail Delivery Report", "was successfully delivered");

        final String action;
        final String subject;
        final String phrase;

        Kind(String action, String subject, String phrase) {
            this.action = action;
            this.subject = subject;
            this.phrase = phrase;
        }
    }

    /**
     * One recipient line of the report.
     *
     * @param address  final recipient
     * @param orcpt    original recipient ({@code rfc822;addr}) or null
     * @param dsn      status code X.Y.Z
     * @param reply    diagnostic text
     * @param remoteMta the remote host name when the reply came from it, else null
     */
    public record Entry(String address, String orcpt, String dsn, String reply, String remoteMta) {
    }

    private static final DateTimeFormatter RFC5322 =
        DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z (z)", Locale.ROOT);

    private final String hostname;

    public DsnComposer(String hostname) {
        this.hostname = hostname;
    }

    /** Composes the notice; reads the original content from the stream (which the caller closes). */
    public byte[] compose(Kind kind, String queueId, Envelope original, List<Entry> entries, InputStream content,
                          long contentSize, long bounceSizeLimit, Instant now, Instant retryUntil) throws IOException {
        String boundary = queueId + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "/" + hostname;
        boolean full = kind == Kind.FAILURE && !"HDRS".equalsIgnoreCase(original.ret()) && contentSize <= bounceSizeLimit;
        StringBuilder h = new StringBuilder();
        h.append("From: MAILER-DAEMON@").append(hostname).append(" (Mail Delivery System)\r\n");
        h.append("To: <").append(original.sender()).append(">\r\n");
        h.append("Subject: ").append(kind.subject).append("\r\n");
        h.append("Date: ").append(date(now)).append("\r\n");
        h.append("Message-ID: <").append(queueId).append('.').append(now.toEpochMilli()).append('.')
            .append(kind.name().toLowerCase(Locale.ROOT)).append('@').append(hostname).append(">\r\n");
        // RFC 3834 5: automatic responses say so, so that autoresponders do not answer them.
        h.append("Auto-Submitted: auto-replied\r\n");
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        h.append("\r\nThis is a MIME-encapsulated message.\r\n\r\n");

        h.append("--").append(boundary).append("\r\n");
        h.append("Content-Description: Notification\r\nContent-Type: text/plain; charset=utf-8\r\n");
        h.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        h.append("This is the mail system at host ").append(hostname).append(".\r\n\r\n");
        h.append("Your message ").append(kind.phrase).append(" to the following recipient")
            .append(entries.size() == 1 ? "" : "s").append(":\r\n\r\n");
        for (Entry e : entries) {
            h.append("<").append(e.address()).append(">: ").append(oneLine(e.reply())).append("\r\n");
        }
        h.append("\r\n");

        h.append("--").append(boundary).append("\r\n");
        h.append("Content-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n");
        // RFC 3464 2.2: per-message fields.
        h.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        h.append("X-Mailserver-Queue-ID: ").append(queueId).append("\r\n");
        if (original.envId() != null) {
            h.append("Original-Envelope-Id: ").append(original.envId()).append("\r\n");
        }
        h.append("Arrival-Date: ").append(date(original.arrival())).append("\r\n");
        // RFC 3464 2.3: per-recipient fields, each group preceded by a blank line.
        for (Entry e : entries) {
            h.append("\r\n");
            h.append("Final-Recipient: rfc822; ").append(e.address()).append("\r\n");
            if (e.orcpt() != null) {
                h.append("Original-Recipient: ").append(orcptField(e.orcpt())).append("\r\n");
            }
            h.append("Action: ").append(kind.action).append("\r\n");
            h.append("Status: ").append(e.dsn()).append("\r\n");
            if (e.remoteMta() != null) {
                h.append("Remote-MTA: dns; ").append(e.remoteMta()).append("\r\n");
                // RFC 3464 2.3.6: the remote reply itself, without our "host X said:" log prefix.
                h.append("Diagnostic-Code: smtp; ").append(oneLine(e.reply()).replaceFirst("^host \\S+ said: ", ""))
                    .append("\r\n");
            } else {
                h.append("Diagnostic-Code: X-Mailserver; ").append(oneLine(e.reply())).append("\r\n");
            }
            h.append("Last-Attempt-Date: ").append(date(now)).append("\r\n");
            if (kind == Kind.DELAY && retryUntil != null) {
                h.append("Will-Retry-Until: ").append(date(retryUntil)).append("\r\n");
            }
        }
        h.append("\r\n");

        h.append("--").append(boundary).append("\r\n");
        if (full) {
            h.append("Content-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n");
            h.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        } else {
            h.append("Content-Description: Message Headers\r\nContent-Type: text/rfc822-headers\r\n");
            h.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(h.toString().getBytes(StandardCharsets.UTF_8));
        byte[] original2 = full ? content.readAllBytes() : headersOf(content);
        out.write(original2);
        if (original2.length > 0 && original2[original2.length - 1] != '\n') {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The header section of a message, up to and excluding the empty line. */
    static byte[] headersOf(InputStream content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = -1;
        int atLineStart = 1;
        int b;
        while ((b = content.read()) >= 0) {
            if (atLineStart == 1 && (b == '\r' || b == '\n')) {
                break;
            }
            out.write(b);
            atLineStart = b == '\n' ? 1 : 0;
            prev = b;
        }
        return out.toByteArray();
    }

    /** ORCPT is stored as the ESMTP parameter value {@code addr-type;xtext}; the DSN field has the same shape. */
    static String orcptField(String orcpt) {
        int semi = orcpt.indexOf(';');
        return semi < 0 ? "rfc822; " + orcpt : orcpt.substring(0, semi) + "; " + orcpt.substring(semi + 1);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace("\r", " ").replace("\n", " ");
    }

    static String date(Instant when) {
        return RFC5322.format(ZonedDateTime.ofInstant(when == null ? Instant.now() : when, ZoneId.systemDefault()));
    }
}
