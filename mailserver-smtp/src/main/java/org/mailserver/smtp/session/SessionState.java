package org.mailserver.smtp.session;

/**
 * Where an SMTP/LMTP session is (RFC 5321 4.1.4 command order). Which commands are legal in which
 * state is data in the command registry, enforced by the dispatcher.
 */
public enum SessionState {
    /** Greeting sent, no HELO/EHLO/LHLO yet. */
    CONNECTED,
    /** HELO/EHLO done, no mail transaction. */
    GREETED,
    /** MAIL accepted, no recipient yet. */
    MAIL,
    /** At least one RCPT accepted. */
    RCPT,
    /** Receiving DATA content (after 354), or its end is being processed. */
    DATA,
    /** Inside a BDAT sequence (RFC 3030): between or receiving chunks. */
    BDAT,
    /** A SASL exchange is in progress (RFC 4954). */
    AUTH,
    /** STARTTLS accepted, handshake in progress. */
    TLS_HANDSHAKE,
    /** QUIT, a fatal error or a timeout: nothing more is read. */
    CLOSING
}
