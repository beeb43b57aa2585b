package org.mailserver.imap.command;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;

/**
 * AUTHENTICATE mechanism [initial-response] (RFC 3501 6.2.2, SASL-IR RFC 4959). The exchange itself is the
 * AuthService's (PLAIN, SCRAM-SHA-256...); this class relays base64 challenges as {@code + } continuations and
 * the client's lines back, and treats {@code *} as a cancel (tagged BAD, RFC 3501 6.2.2).
 */
final class AuthenticateCommand implements ImapCommand {

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        String mechanism = args.atom().toUpperCase(Locale.ROOT);
        byte[] initial = null;
        if (args.acceptSp()) {
            String ir = args.word();
            initial = ir.equals("=") ? new byte[0] : decode(ir); // RFC 4959 3: "=" is an empty initial response
        }
        args.end();
        AuthService auth = s.listener().services().require(AuthService.class);
        if (!s.mechanisms().contains(mechanism)) {
            throw ImapException.no(null, "Unsupported authentication mechanism.");
        }
        Optional<SaslExchange> exchange = auth.startSasl(mechanism, s.authContext());
        if (exchange.isEmpty()) {
            throw ImapException.no(null, "Unsupported authentication mechanism.");
        }
        CompletableFuture<String> done = new CompletableFuture<>();
        step(s, exchange.get(), initial, done);
        return done;
    }

    private void step(ImapSession s, SaslExchange sasl, byte[] response, CompletableFuture<String> done) {
        LoginCommand.onLoop(s, sasl.respond(response)).whenComplete((st, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
            } else if (st.isDone()) {
                LoginCommand.finishLogin(s, st.result(), sasl.mechanism()).whenComplete((ok, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(ok);
                    }
                });
            } else {
                s.writeLine("+ " + Base64.getEncoder().encodeToString(st.challenge()));
                s.flush();
                s.setContinuation(line -> {
                    s.setContinuation(null);
                    if (line.equals("*")) {
                        sasl.abort();
                        done.completeExceptionally(ImapException.bad("Authentication aborted by client."));
                        return;
                    }
                    byte[] next;
                    try {
                        next = decode(line);
                    } catch (ImapException e) {
                        sasl.abort();
                        done.completeExceptionally(e);
                        return;
                    }
                    step(s, sasl, next, done);
                });
            }
        });
    }

    private static byte[] decode(String b64) throws ImapException {
        try {
            return Base64.getDecoder().decode(b64.trim().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ImapException.bad("Invalid base64 data in continued response");
        }
    }
}
