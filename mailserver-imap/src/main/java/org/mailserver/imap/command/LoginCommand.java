package org.mailserver.imap.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.AuthService;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;

/**
 * LOGIN user password (RFC 3501 6.2.3). Refused with {@code NO [PRIVACYREQUIRED]} while plaintext
 * authentication is not allowed on this connection (then LOGINDISABLED is advertised); the password check
 * and the failure delay are the AuthService's.
 */
final class LoginCommand implements ImapCommand {

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        String user = args.astring();
        args.sp();
        String password = args.astring();
        args.end();
        if (!s.mechanisms().contains("PLAIN")) {
            throw ImapException.no("PRIVACYREQUIRED", "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
        }
        AuthService auth = s.listener().services().require(AuthService.class);
        CompletableFuture<AuthResult> result = auth.login(user, password, s.authContext());
        return onLoop(s, result).thenCompose(r -> finishLogin(s, r, "PLAIN"));
    }

    /** Brings an AuthService future (completed off the event loop) back to the session's thread. */
    static <T> CompletableFuture<T> onLoop(ImapSession s, CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> s.transport().eventLoop().execute(() -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        }));
        return out;
    }

    /** Shared with AUTHENTICATE: the reply for an auth result. */
    static CompletableFuture<String> finishLogin(ImapSession s, AuthResult r, String method) {
        return switch (r.status()) {
            case OK -> s.loggedIn(r.userInfo(), method);
            case FAILED -> CompletableFuture.failedFuture(ImapException.no("AUTHENTICATIONFAILED", "Authentication failed."));
            case LOCKED_OUT -> CompletableFuture.failedFuture(
                ImapException.no("AUTHENTICATIONFAILED", "Authentication failed (too many attempts, try again later)."));
            case TEMPORARY_FAILURE -> CompletableFuture.failedFuture(
                ImapException.no("UNAVAILABLE", "Temporary authentication failure."));
        };
    }
}
