package org.mailserver.core.queue;

import java.time.Instant;
import java.util.List;

/**
 * The SMTP envelope of a queued message, with the RFC 3461 DSN parameters and what the receiving
 * session knew about the client.
 *
 * @param sender     the reverse path without angle brackets; {@code ""} for the null sender {@code <>}
 * @param recipients the forward paths, in RCPT order
 * @param envId      RFC 3461 ENVID, or null
 * @param ret        RFC 3461 RET ({@code FULL} or {@code HDRS}), or null
 * @param bodyType   {@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME}
 * @param smtpUtf8   the SMTPUTF8 parameter was given (RFC 6531)
 * @param client     the client's name and address, as logged ({@code host[ip]})
 * @param helo       the HELO/EHLO argument
 * @param authUser   the SASL-authenticated user, or null
 * @param arrival    when the message was accepted
 */
public record Envelope(String sender, List<Recipient> recipients, String envId, String ret, String bodyType,
                       boolean smtpUtf8, String client, String helo, String authUser, Instant arrival) {

    /**
     * One recipient.
     *
     * @param address  the forward path without angle brackets
     * @param orcpt    RFC 3461 ORCPT ({@code rfc822;user@example.org}), or null
     * @param notifyOn RFC 3461 NOTIFY ({@code NEVER} or a comma list of SUCCESS, FAILURE, DELAY), or null for the default
     */
    public record Recipient(String address, String orcpt, String notifyOn) {
        public Recipient(String address) {
            this(address, null, null);
        }
    }
}
