package org.mailserver.core.auth.sasl;

import java.util.concurrent.CompletableFuture;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.SaslExchange.SaslStep;

/** Small helpers shared by the mechanisms. */
final class SaslSupport {
    private SaslSupport() {
    }

    /** A client mistake in the exchange: a counted, delayed, logged failure. */
    static CompletableFuture<SaslStep> protocolError(SaslBackend backend, String user, String reason, AuthContext ctx,
                                                     String mechanism) {
        return backend.fail(user, reason, ctx, mechanism).thenApply(SaslStep::done);
    }
}
