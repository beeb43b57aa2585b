package org.mailserver.core.server;

import io.netty.channel.Channel;

/**
 * A protocol (smtp, lmtp, imap) plugs into the listener framework through this service-provider
 * interface ({@code META-INF/services/org.mailserver.core.server.ProtocolHandlerFactory}).
 *
 * <p>The framework accepts the connection, applies per-listener limits (connections, connections
 * per client, idle timeout), adds the TLS handler first when the listener is in wrapper mode, and then
 * calls {@link #initChannel} to add the protocol's decoder, encoder and session handler. A protocol
 * with no factory on the class path gets a placeholder that answers with a clean temporary refusal.
 */
public interface ProtocolHandlerFactory {

    /** The master.cf protocol column this factory serves: {@code smtp}, {@code lmtp} or {@code imap}. */
    String protocol();

    /** Adds the protocol's handlers to a freshly accepted channel. Runs on the channel's event loop. */
    void initChannel(Channel channel, ListenerContext context);
}
