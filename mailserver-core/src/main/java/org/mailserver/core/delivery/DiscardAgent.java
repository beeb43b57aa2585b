package org.mailserver.core.delivery;

/** Postfix's {@code discard} transport: reports every recipient as sent, and delivers nothing. */
final class DiscardAgent implements DeliveryAgent {
    @Override
    public String transport() {
        return "discard";
    }

    @Override
    public void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception {
        String why = request.route().nexthop().isEmpty() ? "discarded" : request.route().nexthop();
        for (DeliveryRequest.Rcpt r : request.recipients()) {
            journal.report(RecipientResult.sent(r.index(), "2.0.0", why, "none"));
        }
    }
}
