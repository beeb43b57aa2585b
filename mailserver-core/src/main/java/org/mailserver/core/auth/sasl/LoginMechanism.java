package org.mailserver.core.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.SaslExchange;

/**
 * SASL LOGIN (draft-murchison-sasl-login): challenge {@code Username:}, then {@code Password:}. An initial
 * response is taken as the user name (Outlook and others send one; Dovecot accepts it). Plaintext: offered
 * only where allowed.
 */
public final class LoginMechanism implements SaslExchange {
    private enum State { START, WANT_USER, WANT_PASSWORD, DONE }

    private final SaslBackend backend;
    private final AuthContext context;
    private State state = State.START;
    private String user;

    public LoginMechanism(SaslBackend backend, AuthContext context) {
        this.backend = backend;
        this.context = context;
    }

    @Override
    public String mechanism() {
        return "LOGIN";
    }

    @Override
    public CompletableFuture<SaslStep> respond(byte[] clientResponse) {
        switch (state) {
            case START:
                if (clientResponse == null || clientResponse.length == 0) {
                    state = State.WANT_USER;
                    return challenge("Username:");
                }
                return takeUser(clientResponse);
            case WANT_USER:
                return takeUser(clientResponse == null ? new byte[0] : clientResponse);
            case WANT_PASSWORD:
                state = State.DONE;
                String password = clientResponse == null ? "" : new String(clientResponse, StandardCharsets.UTF_8);
                if (password.isEmpty()) {
                    return SaslSupport.protocolError(backend, user, "empty password", context, mechanism());
                }
                return backend.verifyPlain(user, password, context, mechanism()).thenApply(SaslStep::done);
            default:
                return SaslSupport.protocolError(backend, user, "exchange already finished", context, mechanism());
        }
    }

    private CompletableFuture<SaslStep> takeUser(byte[] bytes) {
        user = new String(bytes, StandardCharsets.UTF_8);
        if (user.isEmpty()) {
            state = State.DONE;
            return SaslSupport.protocolError(backend, null, "empty user name", context, mechanism());
        }
        state = State.WANT_PASSWORD;
        return challenge("Password:");
    }

    private static CompletableFuture<SaslStep> challenge(String text) {
        return CompletableFuture.completedFuture(SaslStep.challenge(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void abort() {
        if (state != State.DONE) {
            state = State.DONE;
            backend.fail(user, "aborted by client", context, mechanism());
        }
    }
}
