package org.mailserver.imap.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.core.auth.UserInfo;

/** A fixed user table; PLAIN only over TLS unless {@code allowPlaintext}. Answers off the calling thread like the real one. */
public final class TestAuthService implements AuthService {
    private final Map<String, String> passwords;
    private final boolean allowPlaintext;

    public TestAuthService(Map<String, String> passwords, boolean allowPlaintext) {
        this.passwords = passwords;
        this.allowPlaintext = allowPlaintext;
    }

    @Override
    public List<String> mechanisms(AuthContext context) {
        return context.secured() || allowPlaintext ? List.of("PLAIN") : List.of();
    }

    private AuthResult check(String user, String password) {
        String expected = passwords.get(user);
        if (expected != null && expected.equals(password)) {
            return AuthResult.ok(user, new UserInfo(user, "1000", "1000", "/tmp", null, Map.of()));
        }
        return AuthResult.failed("bad password");
    }

    @Override
    public Optional<SaslExchange> startSasl(String mechanism, AuthContext context) {
        if (!mechanism.equals("PLAIN") || !mechanisms(context).contains("PLAIN")) {
            return Optional.empty();
        }
        return Optional.of(new SaslExchange() {
            @Override
            public String mechanism() {
                return "PLAIN";
            }

            @Override
            public CompletableFuture<SaslStep> respond(byte[] response) {
                if (response == null) {
                    return CompletableFuture.supplyAsync(() -> SaslStep.challenge(new byte[0]));
                }
                String[] parts = new String(response, StandardCharsets.UTF_8).split("\0", -1);
                AuthResult r = parts.length == 3 ? check(parts[1], parts[2]) : AuthResult.failed("malformed");
                return CompletableFuture.supplyAsync(() -> SaslStep.done(r));
            }

            @Override
            public void abort() {
            }
        });
    }

    @Override
    public CompletableFuture<AuthResult> login(String user, String password, AuthContext context) {
        return CompletableFuture.supplyAsync(() -> check(user, password));
    }

    @Override
    public Optional<UserInfo> lookupUser(String user) {
        return passwords.containsKey(user) ? Optional.of(new UserInfo(user, "1000", "1000", "/tmp", null, Map.of())) : Optional.empty();
    }
}
