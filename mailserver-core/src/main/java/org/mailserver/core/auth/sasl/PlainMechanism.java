package org.mailserver.core.auth.sasl;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.SaslExchange;

/**
 * SASL PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd}, as the initial response or
 * after an empty challenge. An authzid different from the authcid is a master user login (refused unless
 * master users are configured, see {@code MasterUsers}). Offered only
 * where plaintext is allowed (the auth service checks before starting the exchange).
 */
public final class PlainMechanism implements SaslExchange {
    private final SaslBackend backend;
    private final AuthContext context;
    private boolean challenged;
    private boolean finished;

    public PlainMechanism(SaslBackend backend, AuthContext context) {
        this.backend = backend;
        this.context = context;
    }

    @Override
    public String mechanism() {
        return "PLAIN";
    }

    @Override
    public CompletableFuture<SaslStep> respond(byte[] clientResponse) {
        if (finished) {
            return SaslSupport.protocolError(backend, null, "exchange already finished", context, mechanism());
        }
        if (clientResponse == null && !challenged) {
            // RFC 4616 section 2: the server sends an empty challenge when there was no initial response.
            challenged = true;
            return CompletableFuture.completedFuture(SaslStep.challenge(new byte[0]));
        }
        finished = true;
        if (clientResponse == null) {
            return SaslSupport.protocolError(backend, null, "missing PLAIN message", context, mechanism());
        }
        String[] parts = split(clientResponse);
        if (parts == null) {
            return SaslSupport.protocolError(backend, null, "malformed PLAIN message", context, mechanism());
        }
        String authzid = parts[0];
        String authcid = parts[1];
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            // RFC 4616 section 2: the server acts as authzid only if authcid may; here only master users may.
            return backend.verifyMaster(authzid, authcid, parts[2], context, mechanism()).thenApply(SaslStep::done);
        }
        return backend.verifyPlain(authcid, parts[2], context, mechanism()).thenApply(SaslStep::done);
    }

    /** RFC 4616 section 2: exactly two NULs, non-empty authcid and password, valid UTF-8; else null. */
    static String[] split(byte[] message) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        String[] parts = text.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        return parts;
    }

    @Override
    public void abort() {
        if (!finished) {
            finished = true;
            backend.fail(null, "aborted by client", context, mechanism());
        }
    }
}
