package org.mailserver.smtp.command;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * AUTH (RFC 4954) through the daemon's {@link org.mailserver.core.auth.AuthService}: initial response
 * ({@code =} for an empty one, section 4), 334 challenges, {@code *} to cancel (501, section 4), 235 on
 * success, 535 5.7.8 on failure, 454 4.7.0 on a temporary failure, 538 5.7.11 when TLS is required
 * first (smtpd_tls_auth_only). Not allowed during a transaction or twice (section 4).
 */
public final class AuthCommand implements SmtpCommand {

    /** Whether AUTH is advertised to this session now. */
    public static boolean offered(SmtpSession s) {
        return !s.lmtp() && s.config.saslEnabled() && s.services.auth() != null
            && (!s.config.tlsAuthOnly() || s.tls != null) && s.authUser == null;
    }

    @Override
    public CompletionStage<Void> execute(SmtpSession s, String argument) throws SmtpException {
        if (!s.config.saslEnabled() || s.services.auth() == null) {
            throw new SmtpException(502, "5.5.1", "Error: authentication not enabled");
        }
        if (s.authUser != null) {
            throw new SmtpException(503, "5.5.1", "Error: already authenticated");
        }
        if (s.config.tlsAuthOnly() && s.tls == null) {
            throw new SmtpException(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        String[] parts = argument.trim().split(" +", 2);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        if (mechanism.isEmpty()) {
            throw SmtpException.syntax("AUTH mechanism");
        }
        Optional<SaslExchange> exchange = s.services.auth().startSasl(mechanism, s.authContext());
        if (exchange.isEmpty()) {
            throw new SmtpException(504, "5.5.4", "Unsupported authentication mechanism");
        }
        byte[] initial = null;
        if (parts.length > 1) {
            initial = decode(parts[1]);
            if (initial == null) {
                exchange.get().abort();
                throw new SmtpException(501, "5.5.2", "Cannot decode response");
            }
        }
        s.sasl = exchange.get();
        s.state = SessionState.AUTH;
        return step(s, initial);
    }

    /** A line answering our 334. */
    public static CompletionStage<Void> continueExchange(SmtpSession s, String line) {
        if (s.sasl == null) {
            return DONE;
        }
        if (line.equals("*")) {
            s.sasl.abort();
            end(s);
            s.reply(SmtpReply.of(501, "5.7.0", "Authentication aborted"));
            return DONE;
        }
        byte[] bytes = decode(line);
        if (bytes == null) {
            s.sasl.abort();
            end(s);
            s.reply(SmtpReply.of(501, "5.5.2", "Cannot decode response"));
            return DONE;
        }
        return step(s, bytes);
    }

    private static CompletionStage<Void> step(SmtpSession s, byte[] response) {
        SaslExchange exchange = s.sasl;
        return s.onLoop(exchange.respond(response)).handle((step, error) -> {
            if (s.sasl != exchange) {
                return null; // the session closed meanwhile
            }
            if (error != null) {
                s.log().error("{}: SASL {} failed internally: {}", s.client(), exchange.mechanism(), error.toString(), error);
                end(s);
                s.reply(SmtpReply.of(454, "4.7.0", "Temporary authentication failure"));
                return null;
            }
            if (!step.isDone()) {
                s.transport.expectSasl();
                s.reply(SmtpReply.plain(334, Base64.getEncoder().encodeToString(step.challenge())));
                return null;
            }
            end(s);
            AuthResult result = step.result();
            switch (result.status()) {
                case OK:
                    s.authUser = result.user();
                    s.authMethod = exchange.mechanism();
                    s.reply(SmtpReply.of(235, "2.7.0", "Authentication successful"));
                    break;
                case FAILED:
                    s.log().warn("{}: SASL {} authentication failed: {}", s.client(), exchange.mechanism(),
                        result.reason() == null ? "authentication failure" : result.reason());
                    s.reply(SmtpReply.of(535, "5.7.8", "Error: authentication failed"));
                    break;
                default:
                    s.reply(SmtpReply.of(454, "4.7.0", "Temporary authentication failure"));
                    break;
            }
            return null;
        });
    }

    private static void end(SmtpSession s) {
        s.sasl = null;
        s.state = SessionState.GREETED;
        s.transport.expectCommand();
    }

    private static byte[] decode(String text) {
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
