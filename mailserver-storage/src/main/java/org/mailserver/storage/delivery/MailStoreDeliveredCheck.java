package org.mailserver.storage.delivery;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;

/**
 * {@link DeliveredCheck} over the mail store: local delivery only prepends header lines
 * ({@code Return-Path:}, {@code Delivered-To:}) to the queued content, so a stored copy of this message
 * is a message in INBOX whose bytes end with exactly the queued content, stored after the message
 * arrived in the queue. Messages are looked at newest first; only those whose INTERNALDATE (the time
 * of the store, whole seconds) is not before the arrival and whose size is the content's plus at most
 * {@value #PREFIX_SLACK} octets of prepended headers are read. The scan stops at the first message
 * stored {@link #REORDER} before the arrival (UIDs follow the commit order, dates the write order, and
 * a save may wait for the folder lock between the two), so its cost is bounded by what arrived since,
 * not by a fixed window: after a crash with hundreds of recovered messages, far more than
 * {@value #WINDOW} may be delivered to the same mailbox before the in-doubt one is checked, and a
 * fixed window then missed the copy and delivered a duplicate. Without an arrival time, the newest
 * {@value #WINDOW} are looked at.
 */
public final class MailStoreDeliveredCheck implements DeliveredCheck {
    static final int WINDOW = 50;
    /** Room for Return-Path:, Delivered-To: and the like in front of the queued content. */
    static final int PREFIX_SLACK = 8192;
    /** Clock granularity and skew between the queue's arrival stamp and the store's INTERNALDATE. */
    static final Duration SKEW = Duration.ofSeconds(2);
    /** How far a message's date may precede one with a lower UID (write, then a wait for the lock, then commit). */
    static final Duration REORDER = Duration.ofMinutes(10);

    private final MailStoreProvider stores;

    public MailStoreDeliveredCheck(MailStoreProvider stores) {
        this.stores = stores;
    }

    @Override
    public boolean alreadyDelivered(UserInfo user, String queueId, byte[] content) throws Exception {
        return alreadyDelivered(user, queueId, content, null);
    }

    @Override
    public boolean alreadyDelivered(UserInfo user, String queueId, byte[] content, Instant arrival) throws Exception {
        Instant notBefore = arrival == null ? null : arrival.minus(SKEW);
        Instant stopAt = arrival == null ? null : arrival.minus(REORDER);
        try (MailStore store = stores.open(user); Mailbox inbox = store.open("INBOX")) {
            inbox.sync();
            List<MessageMeta> all = inbox.messages();
            for (int i = all.size() - 1, seen = 0; i >= 0; i--, seen++) {
                MessageMeta meta = all.get(i);
                Instant date = meta.internalDate();
                if (arrival == null) {
                    if (seen >= WINDOW) {
                        break;
                    }
                } else if (date != null && date.isBefore(notBefore)) {
                    if (date.isBefore(stopAt)) {
                        break;
                    }
                    continue; // stored before the message arrived: not a copy of it
                }
                // Delivery prepends only a few header lines: other sizes cannot be our copy, and are not read.
                if (meta.size() < content.length || meta.size() > content.length + PREFIX_SLACK) {
                    continue;
                }
                try (InputStream in = inbox.open(meta.uid())) {
                    if (endsWith(in, content)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    static boolean endsWith(InputStream in, byte[] suffix) throws java.io.IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        byte[] b = all.toByteArray();
        return b.length >= suffix.length && Arrays.equals(b, b.length - suffix.length, b.length, suffix, 0, suffix.length);
    }
}
