package org.mailserver.storage.delivery;

import java.io.InputStream;
import java.util.Optional;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.delivery.DeliveryAgent;
import org.mailserver.core.delivery.DeliveryJournal;
import org.mailserver.core.delivery.DeliveryRequest;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.storage.LocalDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} transport: final delivery of queued mail into users' mailboxes through
 * {@link LocalDelivery} (Postfix's local/virtual delivery agents). Called by the queue manager on a
 * delivery worker thread.
 *
 * <p>Exactly once across crashes: before storing for a recipient it journals "starting" (an fsynced 'I'
 * record); right after the store returns (the message is durable) it journals the outcome (an fsynced
 * 'D' record). A crash between the two leaves that one recipient "in doubt"; on the next attempt the
 * agent asks the {@link DeliveredCheck} whether the mailbox already holds the message and, if so, records
 * it as delivered instead of storing it again.
 */
public final class LocalDeliveryAgent implements DeliveryAgent {
    private static final Logger log = LoggerFactory.getLogger(LocalDeliveryAgent.class);

    private final LocalDelivery delivery;
    private final AuthService auth;
    private final DeliveredCheck check;
    private final String recipientDelimiter;

    /** Domains whose users the userdb may know by bare local part (Postfix's mydestination class). */
    private final java.util.function.Predicate<String> bareLocalPartDomains;

    public LocalDeliveryAgent(LocalDelivery delivery, AuthService auth, DeliveredCheck check, String recipientDelimiter) {
        this(delivery, auth, check, recipientDelimiter, domain -> false);
    }

    public LocalDeliveryAgent(LocalDelivery delivery, AuthService auth, DeliveredCheck check, String recipientDelimiter,
                              java.util.function.Predicate<String> bareLocalPartDomains) {
        this.delivery = delivery;
        this.auth = auth;
        this.check = check;
        this.recipientDelimiter = recipientDelimiter == null ? "" : recipientDelimiter;
        this.bareLocalPartDomains = bareLocalPartDomains;
    }

    @Override
    public String transport() {
        return "local";
    }

    @Override
    public void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception {
        String sender = request.envelope().sender();
        java.util.Set<String> alreadyDeliveredTo;
        try (InputStream content = request.content().open()) {
            alreadyDeliveredTo = deliveredToHeaders(content);
        }
        for (DeliveryRequest.Rcpt rcpt : request.recipients()) {
            if (alreadyDeliveredTo.contains(rcpt.address().toLowerCase(java.util.Locale.ROOT))) {
                // Postfix local(8): a Delivered-To: naming this recipient means the message came back
                // to it through a forwarding loop; RFC 3463 5.4.6 routing loop.
                journal.report(RecipientResult.bounced(rcpt.index(), "5.4.6", "mail forwarding loop for " + rcpt.address(), "local"));
                continue;
            }
            Optional<UserInfo> user;
            try {
                user = lookup(rcpt.address());
            } catch (RuntimeException e) {
                journal.report(RecipientResult.deferred(rcpt.index(), "4.3.0", "user lookup failed: " + e.getMessage(), "local"));
                continue;
            }
            if (user.isEmpty()) {
                // RFC 3463 5.1.1: bad destination mailbox address.
                journal.report(RecipientResult.bounced(rcpt.index(), "5.1.1", "unknown user: \"" + rcpt.address() + "\"", "local"));
                continue;
            }
            if (rcpt.inDoubt()) {
                boolean already;
                try (InputStream content = request.content().open()) {
                    already = check.alreadyDelivered(user.get(), request.queueId(), content.readAllBytes(),
                        request.envelope().arrival());
                }
                if (already) {
                    log.info("{}: <{}> already in the mailbox after an interrupted delivery; not delivering again",
                        request.queueId(), rcpt.address());
                    journal.report(RecipientResult.sent(rcpt.index(), "2.0.0", "delivered to mailbox (recovered)", "local"));
                    continue;
                }
            }
            journal.starting(rcpt.index());
            LocalDelivery.Result result;
            try (InputStream content = request.content().open()) {
                result = delivery.deliver(user.get(), null, sender, rcpt.address(), content);
            }
            String code = result.enhancedCode() == null ? "" : result.enhancedCode();
            journal.report(switch (result.status()) {
                case DELIVERED -> RecipientResult.sent(rcpt.index(), code.startsWith("2") ? code : "2.0.0",
                    "delivered to mailbox", "local");
                case TEMPORARY_FAILURE -> RecipientResult.deferred(rcpt.index(), code.startsWith("4") ? code : "4.2.0",
                    result.smtpCode() + " " + result.text(), "local");
                case PERMANENT_FAILURE -> RecipientResult.bounced(rcpt.index(), code.startsWith("5") ? code : "5.2.0",
                    result.smtpCode() + " " + result.text(), "local");
            });
        }
    }

    /**
     * The addresses in the message's Delivered-To: header fields, lower-cased (header section only).
     * Lines end at LF, CR or CRLF and the header ends at the first empty line, as with
     * {@code BufferedReader.readLine}; read through one small buffer instead of a reader and its 16 KB
     * of buffers per delivery (JFR, 1 SMTP session: about a tenth of the bytes allocated per message).
     */
    static java.util.Set<String> deliveredToHeaders(InputStream content) throws java.io.IOException {
        java.util.Set<String> out = new java.util.HashSet<>();
        byte[] buf = new byte[2048];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(128);
        int prev = -1;
        for (int n; (n = content.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                int b = buf[i];
                if (b == '\n' && prev == '\r') {
                    prev = b; // the LF of a CRLF: that line was ended by its CR
                    continue;
                }
                prev = b;
                if (b == '\n' || b == '\r') {
                    if (line.size() == 0) {
                        return out; // the empty line: end of the header section
                    }
                    addDeliveredTo(line, out);
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }
        if (line.size() > 0) {
            addDeliveredTo(line, out);
        }
        return out;
    }

    private static void addDeliveredTo(java.io.ByteArrayOutputStream line, java.util.Set<String> out) {
        String s = line.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (s.regionMatches(true, 0, "Delivered-To:", 0, 13)) {
            out.add(s.substring(13).trim().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * userdb lookup of the address, then without its {@code +extension} (recipient_delimiter); for a
     * mydestination domain also by bare local part, as Postfix's local(8) finds UNIX-style users.
     */
    Optional<UserInfo> lookup(String address) {
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        String domain = at < 0 ? "" : address.substring(at + 1);
        String base = local;
        for (char d : recipientDelimiter.toCharArray()) {
            int cut = local.indexOf(d);
            if (cut > 0) {
                base = local.substring(0, cut);
                break;
            }
        }
        java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of(address));
        if (!base.equals(local)) {
            keys.add(base + "@" + domain);
        }
        if (!domain.isEmpty() && bareLocalPartDomains.test(domain)) {
            keys.add(local);
            if (!base.equals(local)) {
                keys.add(base);
            }
        }
        for (String key : keys) {
            Optional<UserInfo> user = auth.lookupUser(key);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }
}
