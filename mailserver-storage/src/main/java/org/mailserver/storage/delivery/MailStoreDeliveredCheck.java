package org.mailserver.storage.delivery;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
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
 * is one of the newest messages in INBOX whose bytes end with exactly the queued content. Looks at the
 * newest {@value #WINDOW} messages only (an in-doubt delivery is at most one attempt old), and reads only
 * those whose size is the content's plus at most {@value #PREFIX_SLACK} octets of prepended headers.
 */
public final class MailStoreDeliveredCheck implements DeliveredCheck {
    static final int WINDOW = 50;
    /** Room for Return-Path:, Delivered-To: and the like in front of the queued content. */
    static final int PREFIX_SLACK = 8192;

    private final MailStoreProvider stores;

    public MailStoreDeliveredCheck(MailStoreProvider stores) {
        this.stores = stores;
    }

    @Override
    public boolean alreadyDelivered(UserInfo user, String queueId, byte[] content) throws Exception {
        try (MailStore store = stores.open(user); Mailbox inbox = store.open("INBOX")) {
            inbox.sync();
            List<MessageMeta> all = inbox.messages();
            for (int i = all.size() - 1; i >= Math.max(0, all.size() - WINDOW); i--) {
                MessageMeta meta = all.get(i);
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
