package org.mailserver.smtp.session;

import java.util.concurrent.Executor;
import org.mailserver.core.address.AddressRewriter;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.tls.TlsProvider;
import org.mailserver.smtp.policy.RestrictionEngine;

/**
 * The shared collaborators of the sessions of one listener (built once per listener settings).
 *
 * @param auth     SASL and userdb lookups; null when no auth service is configured (AUTH not offered,
 *                 no recipient validation by userdb)
 * @param tls      STARTTLS; null or not available means not offered
 * @param rewriter envelope rewriting and the local domains
 * @param engine   restriction evaluation
 * @param blocking the bounded pool for disk, DNS and hashing
 */
public record SessionServices(AuthService auth, TlsProvider tls, AddressRewriter rewriter, RestrictionEngine engine,
                              Executor blocking) {

    public boolean tlsAvailable() {
        return tls != null && tls.available();
    }
}
