package org.mailserver.core.delivery;

/**
 * Postfix's {@code error} transport: every recipient bounces with the next hop as the reason
 * ({@code error:5.1.1 mailbox unavailable}); a next hop starting with a 4 defers instead, as
 * Postfix's {@code retry} transport would.
 */
final class ErrorAgent implements DeliveryAgent {
    @Override
    public String transport() {
        return "error";
    }

    @Override
    public void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception {
        String text = request.route().nexthop();
        String dsn = "5.0.0";
        if (text.matches("^[245]\\.\\d{1,3}\\.\\d{1,3}( .*)?$")) {
            int space = text.indexOf(' ');
            dsn = space < 0 ? text : text.substring(0, space);
            text = space < 0 ? "" : text.substring(space + 1);
        }
        if (text.isEmpty()) {
            text = "delivery refused by transport map";
        }
        if (dsn.startsWith("2")) {
            dsn = "5.0.0";
        }
        for (DeliveryRequest.Rcpt r : request.recipients()) {
            journal.report(RecipientResult.of(r.index(), dsn, text, "none"));
        }
    }
}
