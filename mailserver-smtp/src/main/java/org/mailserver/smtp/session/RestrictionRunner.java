package org.mailserver.smtp.session;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.mailserver.smtp.policy.PolicyRequest;
import org.mailserver.smtp.policy.Verdict;

/**
 * Runs the restriction lists that apply at a command, in Postfix's order (client, helo, sender, relay,
 * recipient, data): with smtpd_delay_reject=yes the client, helo and sender lists are evaluated at RCPT
 * (and again at each RCPT), with =no at the command they concern. The snapshot is taken on the event
 * loop; the lists are evaluated on the blocking executor.
 */
public final class RestrictionRunner {

    private RestrictionRunner() {
    }

    /** A snapshot of the session for the restrictions and policy servers. */
    public static PolicyRequest snapshot(SmtpSession s, String protocolState, String recipient) {
        return new PolicyRequest(protocolState, s.lmtp() ? "LMTP" : (s.esmtp ? "ESMTP" : "SMTP"), s.clientIp, s.clientName,
            s.helo, s.tx.originalSender, recipient, s.tx.recipients.size(), s.authMethod, s.authUser,
            s.tls == null ? null : s.tls.protocol(), s.tls == null ? null : s.tls.cipher(),
            Math.max(0, s.tx.declaredSize), s.esmtp && s.config.offers("PIPELINING"), s.unexpectedInput || s.improperPipelining, s.instance(),
            s.serviceName);
    }

    /** Which lists apply at a protocol state. */
    public static List<String> listsFor(SmtpSession s, String protocolState) {
        boolean delay = s.config.delayReject();
        switch (protocolState) {
            case "HELO":
            case "EHLO":
                return delay ? List.of() : List.of("smtpd_client_restrictions", "smtpd_helo_restrictions");
            case "MAIL":
                return delay ? List.of() : List.of("smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions");
            case "RCPT":
                return delay
                    ? List.of("smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions",
                        "smtpd_relay_restrictions", "smtpd_recipient_restrictions")
                    : List.of("smtpd_relay_restrictions", "smtpd_recipient_restrictions");
            case "DATA":
            case "BDAT":
                return List.of("smtpd_data_restrictions");
            default:
                return List.of();
        }
    }

    /**
     * Evaluates the lists off the loop. Each list is evaluated on its own: a PERMIT ends only that list
     * (Postfix), the first refusal wins.
     */
    public static Verdict evaluate(SmtpSession s, PolicyRequest req, List<String> lists, Function<PolicyRequest, Verdict> unlisted) {
        java.net.InetAddress client = s.transport.remote().getAddress();
        for (String list : lists) {
            Verdict v = s.services.engine().evaluate(list, s.config.restrictions(list), req, client, unlisted);
            if (v.refuses()) {
                return v;
            }
        }
        return Verdict.DUNNO;
    }

    /** True when none of these lists has a restriction: evaluating them is a no-op. */
    public static boolean noneConfigured(SmtpSession s, List<String> lists) {
        return lists.stream().allMatch(l -> s.config.restrictions(l).isEmpty());
    }

    /** Evaluates the lists of a command that has no recipient logic (HELO, MAIL, DATA). */
    public static CompletionStage<Verdict> check(SmtpSession s, String protocolState) {
        List<String> lists = listsFor(s, protocolState);
        PolicyRequest req = snapshot(s, protocolState, null);
        if (noneConfigured(s, lists)) {
            return java.util.concurrent.CompletableFuture.completedFuture(Verdict.DUNNO);
        }
        return s.offLoop(() -> evaluate(s, req, lists, r -> Verdict.DUNNO));
    }
}
