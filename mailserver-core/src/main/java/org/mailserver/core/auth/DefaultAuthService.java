package org.mailserver.core.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mailserver.core.auth.sasl.CramMd5Mechanism;
import org.mailserver.core.auth.sasl.LoginMechanism;
import org.mailserver.core.auth.sasl.PlainMechanism;
import org.mailserver.core.auth.sasl.ScramMechanism;

/**
 * The {@link AuthService} that SMTP, IMAP and the admin tools use: decides which SASL mechanisms a connection
 * may use ({@code auth_mechanisms}, {@code disable_plaintext_auth}) and starts them over one {@link AuthEngine}.
 * Registered in {@code Services} by {@link AuthDaemonModule}.
 */
public final class DefaultAuthService implements AuthService {
    private static final List<String> PLAINTEXT = List.of("PLAIN", "LOGIN");

    private volatile AuthEngine engine;
    private final String hostname;

    public DefaultAuthService(AuthEngine engine, String hostname) {
        this.engine = engine;
        this.hostname = hostname == null || hostname.isEmpty() ? "localhost" : hostname;
    }

    /**
     * A service over the configured passdb/userdb without the daemon module (no demo user): for other modules'
     * tests and tools, e.g. {@code Settings.of(Map.of("passdb", "passwd-file:" + file, "auth_failure_delay", "0"))}.
     * Call {@code engine().close()} when done.
     */
    public static DefaultAuthService fromSettings(org.mailserver.core.config.Settings settings) throws java.io.IOException {
        return new DefaultAuthService(AuthDaemonModule.build(settings, AuthConfig.from(settings), false),
            settings.getString("myhostname"));
    }

    public AuthEngine engine() {
        return engine;
    }

    /** Installs a new engine (configuration reload) and returns the old one for the caller to close. */
    public AuthEngine swap(AuthEngine replacement) {
        AuthEngine old = engine;
        engine = replacement;
        return old;
    }

    @Override
    public List<String> mechanisms(AuthContext context) {
        boolean plaintext = engine.plaintextAllowed(context);
        return engine.config().mechanisms().stream().filter(m -> plaintext || !PLAINTEXT.contains(m)).toList();
    }

    @Override
    public Optional<SaslExchange> startSasl(String mechanism, AuthContext context) {
        String m = mechanism == null ? "" : mechanism.toUpperCase(Locale.ROOT);
        if (!mechanisms(context).contains(m)) {
            return Optional.empty();
        }
        AuthEngine engine = this.engine;
        return Optional.of(switch (m) {
            case "PLAIN" -> new PlainMechanism(engine, context);
            case "LOGIN" -> new LoginMechanism(engine, context);
            case "SCRAM-SHA-1" -> new ScramMechanism(engine, context, "SHA-1");
            case "SCRAM-SHA-256" -> new ScramMechanism(engine, context, "SHA-256");
            case "CRAM-MD5" -> new CramMd5Mechanism(engine, context, hostname);
            default -> throw new IllegalStateException("mechanism listed but not implemented: " + m);
        });
    }

    /**
     * IMAP LOGIN and similar. Refused at once, without counting, when plaintext is not allowed on this
     * connection (the protocol should not have offered it: IMAP's LOGINDISABLED).
     */
    @Override
    public CompletableFuture<AuthResult> login(String user, String password, AuthContext context) {
        AuthEngine engine = this.engine;
        if (!engine.plaintextAllowed(context)) {
            return CompletableFuture.completedFuture(
                AuthResult.failed("plaintext authentication disallowed on non-secure (SSL/TLS) connections"));
        }
        return engine.verifyPlain(user, password, context, "LOGIN");
    }

    @Override
    public Optional<UserInfo> lookupUser(String user) {
        return engine.lookupUser(user);
    }
}
