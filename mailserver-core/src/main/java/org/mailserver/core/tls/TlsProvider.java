package org.mailserver.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/**
 * Server-side TLS for one listener: TLS 1.2 and 1.3 only, certificates chosen by SNI, re-read on
 * reload and when the certificate files change. Used for both STARTTLS and wrapper mode.
 */
public interface TlsProvider {

    /** True when a certificate is loaded (the daemon generates a self-signed one when none is configured). */
    boolean available();

    /**
     * A new server-side TLS handler (an {@code SslHandler}, or an {@code SniHandler} that replaces itself
     * with one). Add it first in the pipeline, after a STARTTLS reply has been flushed. Sessions learn of
     * the finished handshake from Netty's {@code SslHandshakeCompletionEvent} and read the negotiated
     * protocol and cipher from the pipeline's {@code SslHandler}.
     */
    ChannelHandler newServerHandler(ByteBufAllocator allocator);
}
