package org.mailserver.core.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one authentication layer that SMTP AUTH, IMAP LOGIN/AUTHENTICATE and the admin tools use:
 * Dovecot-style passdb and userdb behind it, password hashing on a bounded pool, failure delays and
 * lock-outs against guessing. Every future completes off the event loop; callers hop back themselves.
 */
public interface AuthService {

    /** The SASL mechanisms to advertise on this connection (plaintext ones only where allowed). */
    List<String> mechanisms(AuthContext context);

    /**
     * Starts a SASL exchange ({@code PLAIN}, {@code LOGIN}, {@code SCRAM-SHA-256}, ...).
     * Empty when the mechanism is unknown or not allowed on this connection.
     */
    Optional<SaslExchange> startSasl(String mechanism, AuthContext context);

    /** A plain user/password login (IMAP LOGIN); a failure completes only after the failure delay. */
    CompletableFuture<AuthResult> login(String user, String password, AuthContext context);

    /** userdb lookup (after auth_username_format); empty for an unknown user. Blocking is allowed but fast. */
    Optional<UserInfo> lookupUser(String user);
}
