package org.mailserver.storage.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.QuotaInfo;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LocalDelivery} over any {@link MailStoreProvider} (Maildir or in memory), as Dovecot's LDA
 * does it: {@code Return-Path:} and {@code Delivered-To:} are prepended (RFC 5321 4.4), the message
 * goes to the requested mailbox or INBOX when that one does not exist (Dovecot's
 * {@code lda_mailbox_autocreate = no}), and the store's append is durable before we report success.
 * Over-quota deliveries get the configured {@code quota_status_overquota} reply; any other storage
 * failure is temporary (451 4.3.0), so the sender's queue retries and nothing is lost.
 */
public final class StoreLocalDelivery implements LocalDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(StoreLocalDelivery.class);

    private final MailStoreProvider provider;
    private final Settings settings;

    public StoreLocalDelivery(MailStoreProvider provider, Settings settings) {
        this.provider = provider;
        this.settings = settings;
    }

    @Override
    public Result deliver(UserInfo user, String mailbox, String returnPath, String deliveredTo, InputStream message) {
        String header = "Return-Path: <" + headerSafe(returnPath) + ">\r\n"
            + "Delivered-To: " + headerSafe(deliveredTo) + "\r\n";
        InputStream content = new SequenceInputStream(
            new ByteArrayInputStream(header.getBytes(StandardCharsets.UTF_8)), message);
        try (MailStore store = provider.open(user)) {
            // The usage before is needed only for the warning thresholds, i.e. when the user has a limit:
            // reading maildirsize on every delivery to an unlimited user is wasted I/O and parsing.
            QuotaInfo before = QuotaPolicy.forUser(user, settings).equals(QuotaPolicy.UNLIMITED) ? null : store.quota();
            try (Mailbox box = openTarget(store, mailbox)) {
                box.append(content, Set.of(), Set.of(), null);
            }
            if (before != null && (before.storageLimit() > 0 || before.messageLimit() > 0)) {
                warnOnThresholds(user, before, store.quota());
            }
            return Result.delivered();
        } catch (StorageException e) {
            if (e.error() == StorageError.OVER_QUOTA) {
                return overQuota();
            }
            LOG.warn("delivery to {} failed: {} {}", user.user(), e.error(), e.getMessage());
            return new Result(Result.Status.TEMPORARY_FAILURE, 451, "4.3.0", "Temporary storage failure, try again later");
        } catch (RuntimeException e) {
            LOG.error("delivery to {} failed", user.user(), e);
            return new Result(Result.Status.TEMPORARY_FAILURE, 451, "4.3.0", "Internal error, try again later");
        }
    }

    private static Mailbox openTarget(MailStore store, String mailbox) throws StorageException {
        if (mailbox != null && !mailbox.isEmpty()) {
            try {
                return store.open(MailboxNames.validate(mailbox));
            } catch (StorageException e) {
                if (e.error() != StorageError.NOT_FOUND && e.error() != StorageError.BAD_PARAMS) {
                    throw e;
                }
                LOG.debug("mailbox {} not usable ({}), delivering to INBOX", mailbox, e.getMessage());
            }
        }
        return store.open(MailboxNames.INBOX);
    }

    /** Parses quota_status_overquota ("552 5.2.2 Mailbox is full"). */
    Result overQuota() {
        String v = settings.get(StorageParameters.QUOTA_STATUS_OVERQUOTA);
        if (v == null || v.isBlank()) {
            v = "552 5.2.2 Mailbox is full";
        }
        String[] p = v.trim().split("\\s+", 3);
        int code = 552;
        String enhanced = "5.2.2";
        String text = "Mailbox is full";
        try {
            code = Integer.parseInt(p[0]);
            if (p.length > 1 && p[1].matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
                enhanced = p[1];
                text = p.length > 2 ? p[2] : text;
            } else if (p.length > 1) {
                text = v.trim().substring(p[0].length()).trim();
            }
        } catch (NumberFormatException e) {
            text = v.trim();
        }
        Result.Status status = code >= 500 ? Result.Status.PERMANENT_FAILURE : Result.Status.TEMPORARY_FAILURE;
        return new Result(status, code, enhanced, text);
    }

    private void warnOnThresholds(UserInfo user, QuotaInfo before, QuotaInfo after) {
        List<String> levels = settings.getList(StorageParameters.QUOTA_WARNING);
        for (String level : levels) {
            double pct;
            try {
                pct = Double.parseDouble(level.replace("%", ""));
            } catch (NumberFormatException e) {
                continue;
            }
            if (crossed(before.storageBytes(), after.storageBytes(), after.storageLimit(), pct)
                || crossed(before.messages(), after.messages(), after.messageLimit(), pct)) {
                LOG.warn("quota warning: user {} is over {}% of quota (storage {}/{} bytes, messages {}/{})",
                    user.user(), level, after.storageBytes(), after.storageLimit(), after.messages(), after.messageLimit());
                return;
            }
        }
    }

    private static boolean crossed(long before, long after, long limit, double pct) {
        if (limit <= 0) {
            return false;
        }
        double mark = limit * pct / 100.0;
        return before < mark && after >= mark;
    }

    /** Header values must not carry line breaks (header injection). */
    private static String headerSafe(String v) {
        return v == null ? "" : v.replaceAll("[\\r\\n\\x00]", "");
    }
}
