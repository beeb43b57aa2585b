package org.mailserver.core.server;

import java.util.concurrent.Executor;
import org.mailserver.core.config.Settings;
import org.mailserver.core.tls.TlsProvider;

/**
 * What one listener (one master.cf line) gives the protocol sessions it accepts. A reload swaps
 * the settings and certificates for new connections; established connections keep theirs.
 */
public interface ListenerContext {

    /** The master.cf service name, e.g. {@code submission}, {@code imaps}. */
    String serviceName();

    /** The master.cf protocol column: {@code smtp}, {@code lmtp} or {@code imap}. */
    String protocol();

    /** main.cf with this listener's {@code -o} overrides on top, as of the time of the call. */
    Settings settings();

    /** Server-side TLS for STARTTLS and wrapper mode. */
    TlsProvider tls();

    /**
     * True when this listener wraps every connection in TLS from the first byte (465, 993). The TLS
     * handler is then already first in the pipeline, and writes (such as a greeting sent in
     * {@code channelActive}) are held until the handshake completes, so protocols need no special case.
     */
    boolean implicitTls();

    /** Shared daemon services (auth, the mail store, the queue...), looked up by type. */
    Services services();

    /** A bounded pool for blocking work (disk, DNS, password hashing); never run such work on an event loop. */
    Executor blockingExecutor();
}
