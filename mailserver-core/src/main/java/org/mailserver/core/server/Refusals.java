package org.mailserver.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The lines the framework itself sends before closing a connection, in each protocol's syntax:
 * SMTP/LMTP replies with enhanced status codes (RFC 5321 section 3.8 allows 421 at any time;
 * RFC 3463 codes), IMAP untagged BYE (RFC 9051 section 7.1.5). Wording follows Postfix and Dovecot so
 * log-watching tools and people recognise it.
 */
public final class Refusals {
    private final boolean imap;
    private final String host;

    private Refusals(boolean imap, String host) {
        this.imap = imap;
        this.host = host;
    }

    public static Refusals forProtocol(String protocol, String myhostname) {
        return new Refusals("imap".equals(protocol), myhostname);
    }

    /** No protocol handler exists (yet) for this listener's protocol. */
    public ByteBuf unavailable() {
        return line(imap ? "* BYE Service not available" : "421 4.3.0 " + host + " Service not available");
    }

    /** The listener's listener_connection_limit is reached. */
    public ByteBuf tooManyConnections() {
        return line(imap ? "* BYE Too many connections" : "421 4.7.0 " + host + " Error: too many connections");
    }

    /** The client's per-IP connection count limit is reached. */
    public ByteBuf tooManyFrom(String ip) {
        return line(imap ? "* BYE Too many connections from " + ip
            : "421 4.7.0 " + host + " Error: too many connections from " + ip);
    }

    /** Nothing happened on the connection for the idle timeout. */
    public ByteBuf idle() {
        return line(imap ? "* BYE Disconnected for inactivity" : "421 4.4.2 " + host + " Error: timeout exceeded");
    }

    /** The daemon is stopping. */
    public ByteBuf shuttingDown() {
        return line(imap ? "* BYE Server shutting down" : "421 4.3.2 " + host + " Service shutting down");
    }

    private static ByteBuf line(String text) {
        return Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII);
    }
}
