package org.mailserver.core.delivery;

/**
 * The outcome of one recipient of a delivery job.
 *
 * @param index    the recipient's index in the envelope
 * @param status   sent, deferred or bounced
 * @param dsn      RFC 3463 enhanced status code ({@code 2.0.0}, {@code 4.4.1}, {@code 5.1.1})
 * @param reply    the text shown in logs and DSNs: the remote reply ({@code 250 2.0.0 Ok}) or our own reason
 * @param relay    the host that answered, in Postfix's {@code host[ip]:port} form, or {@code none}/{@code local}
 * @param remoteMta true when {@code reply} came from a remote server (DSN Remote-MTA / Diagnostic-Code smtp;)
 * @param tls      the TLS outcome for the log ({@code Verified}, {@code Trusted}, {@code Untrusted}, {@code Anonymous}), or null
 * @param setupSeconds    connection set-up time (the delays "c" part)
 * @param transmitSeconds transmission time (the delays "d" part)
 */
public record RecipientResult(int index, Status status, String dsn, String reply, String relay, boolean remoteMta,
                              String tls, double setupSeconds, double transmitSeconds) {

    /** Delivery outcome classes. */
    public enum Status {
        /** Delivered or accepted by the next hop. */
        SENT,
        /** Temporary failure: retried after the backoff. */
        DEFERRED,
        /** Permanent failure: bounced now. */
        BOUNCED
    }

    public static RecipientResult sent(int index, String dsn, String reply, String relay) {
        return new RecipientResult(index, Status.SENT, dsn, reply, relay, false, null, 0, 0);
    }

    public static RecipientResult deferred(int index, String dsn, String reply, String relay) {
        return new RecipientResult(index, Status.DEFERRED, dsn, reply, relay, false, null, 0, 0);
    }

    public static RecipientResult bounced(int index, String dsn, String reply, String relay) {
        return new RecipientResult(index, Status.BOUNCED, dsn, reply, relay, false, null, 0, 0);
    }

    /** Classifies by the first digit of an enhanced status code. */
    public static RecipientResult of(int index, String dsn, String reply, String relay) {
        return switch (dsn.isEmpty() ? '4' : dsn.charAt(0)) {
            case '2' -> sent(index, dsn, reply, relay);
            case '5' -> bounced(index, dsn, reply, relay);
            default -> deferred(index, dsn, reply, relay);
        };
    }

    public RecipientResult withRemote(String tlsOutcome, double setup, double transmit) {
        return new RecipientResult(index, status, dsn, reply, relay, true, tlsOutcome, setup, transmit);
    }
}
