package org.mailserver.smtp.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.core.auth.UserInfo;

/** An {@link AuthService} with a fixed user list and PLAIN and LOGIN, completing on another thread like the real one. */
public final class FakeAuth implements AuthService {
    public final Map<String, String> passwords = new ConcurrentHashMap<>();
    /** Extra userdb fields per user (quota_rule...). */
    public final Map<String, Map<String, String>> fields = new ConcurrentHashMap<>();

    public FakeAuth user(String name, String password) {
        passwords.put(name, password);
        return this;
    }

    @Override
    public List<String> mechanisms(AuthContext context) {
        return List.of("PLAIN", "LOGIN");
    }

    @Override
    public Optional<SaslExchange> startSasl(String mechanism, AuthContext context) {
        switch (mechanism) {
            case "PLAIN":
                return Optional.of(new SaslExchange() {
                    @Override
                    public String mechanism() {
                        return "PLAIN";
                    }

                    @Override
                    public CompletableFuture<SaslStep> respond(byte[] r) {
                        if (r == null) {
                            return CompletableFuture.completedFuture(SaslStep.challenge(new byte[0]));
                        }
                        String[] parts = new String(r, StandardCharsets.UTF_8).split("\0", -1);
                        if (parts.length != 3) {
                            return CompletableFuture.supplyAsync(() -> SaslStep.done(AuthResult.failed("bad PLAIN")));
                        }
                        return CompletableFuture.supplyAsync(() -> SaslStep.done(check(parts[1], parts[2])));
                    }

                    @Override
                    public void abort() {
                    }
                });
            case "LOGIN":
                return Optional.of(new SaslExchange() {
                    String user;

                    @Override
                    public String mechanism() {
                        return "LOGIN";
                    }

                    @Override
                    public CompletableFuture<SaslStep> respond(byte[] r) {
                        if (user == null && r == null) {
                            return CompletableFuture.completedFuture(SaslStep.challenge("Username:".getBytes(StandardCharsets.US_ASCII)));
                        }
                        if (user == null) {
                            user = new String(r, StandardCharsets.UTF_8);
                            return CompletableFuture.completedFuture(SaslStep.challenge("Password:".getBytes(StandardCharsets.US_ASCII)));
                        }
                        String password = new String(r, StandardCharsets.UTF_8);
                        return CompletableFuture.supplyAsync(() -> SaslStep.done(check(user, password)));
                    }

                    @Override
                    public void abort() {
                    }
                });
            default:
                return Optional.empty();
        }
    }

    private AuthResult check(String user, String password) {
        String expected = passwords.get(user);
        return expected != null && expected.equals(password) ? AuthResult.ok(user, info(user)) : AuthResult.failed("wrong password");
    }

    @Override
    public CompletableFuture<AuthResult> login(String user, String password, AuthContext context) {
        return CompletableFuture.supplyAsync(() -> check(user, password));
    }

    @Override
    public Optional<UserInfo> lookupUser(String user) {
        return passwords.containsKey(user) ? Optional.of(info(user)) : Optional.empty();
    }

    private UserInfo info(String user) {
        return new UserInfo(user, "1000", "1000", "/home/" + user, null, fields.getOrDefault(user, Map.of()));
    }
}
