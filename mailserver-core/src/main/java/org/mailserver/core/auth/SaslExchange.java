package org.mailserver.core.auth;

import java.util.concurrent.CompletableFuture;

/**
 * One SASL exchange in progress. The protocol decodes the client's base64 line (or initial response)
 * and passes the raw bytes; the answer is either a challenge to send ({@code 334} / {@code +}) or a
 * final {@link AuthResult}. An initial response is passed to the first call; {@code null} there
 * means none was sent.
 */
public interface SaslExchange {

    /** The mechanism name, upper case. */
    String mechanism();

    CompletableFuture<SaslStep> respond(byte[] clientResponse);

    /** The client cancelled with {@code *}: counts as a failure for the guessing protection. */
    void abort();

    /** Either a challenge to send or a final result. */
    record SaslStep(byte[] challenge, AuthResult result) {
        public static SaslStep challenge(byte[] bytes) {
            return new SaslStep(bytes, null);
        }

        public static SaslStep done(AuthResult result) {
            return new SaslStep(null, result);
        }

        public boolean isDone() {
            return result != null;
        }
    }
}
