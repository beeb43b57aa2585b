package org.mailserver.smtp.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import org.mailserver.smtp.codec.SmtpReply;

/**
 * What an SMTP/LMTP session needs from the connection, and nothing more: write a reply, tell the
 * decoder what comes next, start TLS, close. The session never touches Netty; {@link NettySmtpTransport}
 * is the one implementation, tests may supply their own. Every method is called on {@link #eventLoop()}.
 */
public interface SmtpTransport {

    /** Writes and flushes a reply. */
    void reply(SmtpReply reply);

    /** The next input is message content ending at {@code <CRLF>.<CRLF>}. */
    void expectData();

    /** The next {@code size} octets are a BDAT chunk. */
    void expectBdat(long size);

    /** The next line answers a SASL challenge. */
    void expectSasl();

    /** The next input is a command line (after a SASL exchange). */
    void expectCommand();

    /** True when the client has already sent more input behind the command being handled. */
    boolean hasPipelinedInput();

    /**
     * Sends {@code ready} (the 220 to STARTTLS), drops all input buffered so far (RFC 3207 section 4.2,
     * CVE-2011-0411) and inserts the TLS handler; the session hears back through
     * {@code SmtpSession#tlsEstablished} or the connection closes.
     */
    void startTls(SmtpReply ready);

    /** The negotiated TLS parameters, or null on a plaintext connection. */
    TlsInfo tls();

    /** Sends a last reply (may be null) and closes the connection; later input is dropped. */
    void close(SmtpReply last);

    InetSocketAddress remote();

    InetSocketAddress local();

    /** Runs continuations of off-loop work back on the connection's thread. */
    Executor eventLoop();

    /** TLS version and cipher of the connection, as logged and written into Received:. */
    record TlsInfo(String protocol, String cipher, int bits) {
    }
}
