package org.mailserver.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The wire under {@link SmtpClientSession}: send command lines, read one reply, start TLS, send the
 * message body. The session knows only this, so the protocol logic is independent of how bytes move
 * ({@link NettySmtpTransport}), and tests can script it.
 */
interface SmtpTransport extends AutoCloseable {

    /** Reads one complete (possibly multi-line) reply within the timeout. */
    SmtpReply read(Duration timeout) throws IOException;

    /** Writes command lines (each without CRLF) in one flush: a PIPELINING group is one call. */
    void send(String... lines) throws IOException;

    /**
     * Sends the message content for DATA: dot-stuffed (RFC 5321 4.5.2), CRLF line endings kept, followed
     * by the terminating {@code CRLF.CRLF}; returns the number of content bytes.
     */
    long sendData(InputStream content) throws IOException;

    /** Sends the content as one RFC 3030 chunk: {@code BDAT size LAST}, then the bytes as they are. */
    void sendChunk(InputStream content, long size) throws IOException;

    /** Runs the TLS handshake over the connection; returns the outcome (verified/trusted/untrusted). */
    TlsOutcome startTls(String peerName, TlsPolicy policy) throws IOException;

    /** {@code host[ip]:port} for logs. */
    String peer();

    @Override
    void close();
}
