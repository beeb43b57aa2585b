package org.mailserver.lmtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.address.AddressRewriter;
import org.mailserver.core.address.MailAddress;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.command.CommandRegistry;
import org.mailserver.smtp.intake.ContentSink;
import org.mailserver.smtp.session.SmtpDialect;
import org.mailserver.smtp.session.SmtpSession;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.QuotaInfo;
import org.mailserver.storage.StorageException;

/**
 * LMTP (RFC 2033) on top of the SMTP session: LHLO, and a recipient is accepted only when the userdb
 * knows it ({@code user+ext@domain} is the user {@code user@domain}) and, with lmtp_rcpt_check_quota, its
 * mailbox is not already full; the message goes straight into the store, one reply per recipient.
 * The peer is trusted (an MTA such as Postfix), so no restrictions and no rewriting apply: like
 * Dovecot's LMTP, addresses arrive already resolved.
 */
final class LmtpProtocol implements SmtpDialect {
    private static final CommandRegistry REGISTRY = CommandRegistry.lmtp();

    private final AuthService auth;
    private final MailStoreProvider stores;
    private final LocalDelivery delivery;
    private final boolean checkQuota;
    private final boolean detailMailbox;
    private final long memoryLimit;

    LmtpProtocol(AuthService auth, MailStoreProvider stores, LocalDelivery delivery, boolean checkQuota, boolean detailMailbox,
                 long memoryLimit) {
        this.auth = auth;
        this.stores = stores;
        this.delivery = delivery;
        this.checkQuota = checkQuota;
        this.detailMailbox = detailMailbox;
        this.memoryLimit = memoryLimit;
    }

    @Override
    public String protocolName() {
        return "LMTP";
    }

    @Override
    public CommandRegistry registry() {
        return REGISTRY;
    }

    @Override
    public CompletionStage<RcptOutcome> acceptRecipient(SmtpSession s, MailAddress address, String orcpt, String notify) {
        AddressRewriter rewriter = s.services.rewriter();
        return s.offLoop(() -> {
            String[] split = rewriter.splitExtension(address.localPart());
            Optional<UserInfo> user = find(address, split);
            if (user.isEmpty()) {
                return RcptOutcome.refused(SmtpReply.of(550, "5.1.1", "<" + address + "> User doesn't exist"));
            }
            if (checkQuota && overQuota(user.get())) {
                return RcptOutcome.refused(SmtpReply.of(552, "5.2.2", "<" + address + "> Mailbox is full"));
            }
            String mailbox = detailMailbox && split != null ? split[1].substring(1) : null;
            List<Envelope.Recipient> recipients = new ArrayList<>();
            recipients.add(new Envelope.Recipient(address.toString(), orcpt, notify));
            return new RcptOutcome(SmtpReply.of(250, "2.1.5", "Ok"), recipients,
                new DeliveryTarget(user.get(), address.toString(), mailbox));
        });
    }

    private Optional<UserInfo> find(MailAddress a, String[] split) {
        List<String> keys = new ArrayList<>();
        keys.add(a.toString());
        if (split != null) {
            keys.add(a.domain().isEmpty() ? split[0] : split[0] + "@" + a.domain());
        }
        for (String key : keys) {
            Optional<UserInfo> u = auth.lookupUser(key);
            if (u.isPresent()) {
                return u;
            }
        }
        return Optional.empty();
    }

    private boolean overQuota(UserInfo user) throws StorageException {
        try (MailStore store = stores.open(user)) {
            QuotaInfo q = store.quota();
            return (q.storageLimit() > 0 && q.storageBytes() >= q.storageLimit())
                || (q.messageLimit() > 0 && q.messages() >= q.messageLimit());
        }
    }

    @Override
    public ContentSink newSink(SmtpSession s) {
        List<DeliveryTarget> targets = new ArrayList<>();
        for (Object o : s.tx.deliveryTargets) {
            targets.add((DeliveryTarget) o);
        }
        return new LmtpDeliverySink(delivery, targets, memoryLimit);
    }
}
