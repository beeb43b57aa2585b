package org.mailserver.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.address.AddressRewriter;
import org.mailserver.core.address.MailAddress;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.queue.Envelope;
import org.mailserver.core.queue.MessageQueue;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.command.CommandRegistry;
import org.mailserver.smtp.intake.ContentSink;
import org.mailserver.smtp.intake.QueueSink;
import org.mailserver.smtp.policy.PolicyRequest;
import org.mailserver.smtp.policy.Verdict;
import org.mailserver.smtp.session.RestrictionRunner;
import org.mailserver.smtp.session.SmtpDialect;
import org.mailserver.smtp.session.SmtpSession;

/**
 * The SMTP dialect: recipients pass the restriction lists, are rewritten as Postfix's cleanup would
 * (canonical, virtual aliases, aliases) and, in local domains, must name a userdb user
 * (smtpd_reject_unlisted_recipient, 550 5.1.1); messages go into the durable queue.
 */
public final class SmtpProtocol implements SmtpDialect {
    private static final CommandRegistry REGISTRY = CommandRegistry.smtp();
    private final MessageQueue queue;

    public SmtpProtocol(MessageQueue queue) {
        this.queue = queue;
    }

    @Override
    public String protocolName() {
        return "SMTP";
    }

    @Override
    public CommandRegistry registry() {
        return REGISTRY;
    }

    @Override
    public ContentSink newSink(SmtpSession session) {
        return new QueueSink(queue);
    }

    @Override
    public CompletionStage<RcptOutcome> acceptRecipient(SmtpSession s, MailAddress address, String orcpt, String notify) {
        PolicyRequest request = RestrictionRunner.snapshot(s, "RCPT", address.toString());
        List<String> lists = RestrictionRunner.listsFor(s, "RCPT");
        AddressRewriter rewriter = s.services.rewriter();
        AuthService auth = s.services.auth();
        boolean rejectUnlisted = s.config.rejectUnlistedRecipient();
        return s.offLoop(() -> {
            Verdict v = RestrictionRunner.evaluate(s, request, lists, r -> unlisted(rewriter, auth, address));
            if (v.refuses()) {
                return RcptOutcome.refused(v.reply());
            }
            AddressRewriter.Expansion expansion = rewriter.expandRecipient(address);
            if (!expansion.ok()) {
                return RcptOutcome.refused(expansionFailure(address, expansion.failure()));
            }
            if (rejectUnlisted) {
                Verdict u = unknownLocal(rewriter, auth, address, expansion.recipients());
                if (u.refuses()) {
                    return RcptOutcome.refused(u.reply());
                }
            }
            List<Envelope.Recipient> recipients = new ArrayList<>();
            for (MailAddress a : expansion.recipients()) {
                recipients.add(new Envelope.Recipient(a.toString(), orcpt, notify));
            }
            return new RcptOutcome(SmtpReply.of(250, "2.1.5", "Ok"), recipients, null);
        });
    }

    /** reject_unlisted_recipient as a restriction: the original recipient and what it expands to. */
    private static Verdict unlisted(AddressRewriter rewriter, AuthService auth, MailAddress address) {
        AddressRewriter.Expansion expansion = rewriter.expandRecipient(address);
        if (!expansion.ok()) {
            return new Verdict(Verdict.Kind.REJECT, expansionFailure(address, expansion.failure()));
        }
        return unknownLocal(rewriter, auth, address, expansion.recipients());
    }

    private static Verdict unknownLocal(AddressRewriter rewriter, AuthService auth, MailAddress original, List<MailAddress> finals) {
        if (auth == null) {
            return Verdict.DUNNO; // no userdb to ask: accept, the delivery agent will bounce
        }
        for (MailAddress a : finals) {
            if (rewriter.domains().isLocal(a) && findUser(rewriter, auth, a).isEmpty()) {
                String table = rewriter.domains().isMyDestination(a.domain()) ? "local recipient table" : "virtual mailbox table";
                return Verdict.reject(550, "5.1.1", "<" + original + ">: Recipient address rejected: User unknown in " + table);
            }
        }
        return Verdict.DUNNO;
    }

    /**
     * The userdb user an address in a local domain names: {@code user+ext@d} is looked up as itself and
     * as {@code user@d}; in mydestination domains also by the bare local part.
     */
    public static Optional<UserInfo> findUser(AddressRewriter rewriter, AuthService auth, MailAddress a) {
        List<String> keys = new ArrayList<>();
        keys.add(a.toString());
        String[] split = rewriter.splitExtension(a.localPart());
        if (split != null) {
            keys.add(split[0] + "@" + a.domain());
        }
        if (rewriter.domains().isMyDestination(a.domain())) {
            keys.add(a.localPart());
            if (split != null) {
                keys.add(split[0]);
            }
        }
        for (String key : keys) {
            Optional<UserInfo> u = auth.lookupUser(key);
            if (u.isPresent()) {
                return u;
            }
        }
        return Optional.empty();
    }

    private static SmtpReply expansionFailure(MailAddress address, AddressRewriter.Failure failure) {
        switch (failure) {
            case LOOP:
                return SmtpReply.of(554, "5.4.6", "<" + address + ">: Recipient address rejected: mail forwarding loop");
            case TOO_MANY:
                return SmtpReply.of(552, "5.5.3", "<" + address + ">: Recipient address rejected: too many alias targets");
            default:
                // A configuration problem: temporary, so the mail is retried once the admin fixed the alias.
                return SmtpReply.of(451, "4.3.5", "<" + address + ">: Recipient address rejected: unsupported alias target");
        }
    }
}
