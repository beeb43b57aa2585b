package org.mailserver.imap.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.AuthService;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.storage.MailStore;

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
        // The store is opened where the password was checked, on the auth worker, and comes back to the event
        // loop with the result: no separate trip through the work pool (ImapSession.openStoreHere). A check that
        // completed at once continues here on the event loop, which must not touch the disk: the pool opens it.
        CompletableFuture<Checked> checked = auth.login(user, password, s.authContext())
            .thenApply(r -> new Checked(r, r.status() == AuthResult.Status.OK && !s.transport().inEventLoop()
                ? s.openStoreHere(r.userInfo()) : null));
        return onLoop(s, checked).thenCompose(c -> c.store() != null
            ? s.loggedIn(c.result().userInfo(), "PLAIN", c.store())
            : finishLogin(s, c.result(), "PLAIN"));
    }

    /** A password check's result, and the user's store when it succeeded (opened or failed to open). */
    private record Checked(AuthResult result, CompletableFuture<MailStore> store) {
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
