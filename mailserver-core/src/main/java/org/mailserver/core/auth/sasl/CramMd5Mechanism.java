package org.mailserver.core.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.SaslExchange;

/**
 * SASL CRAM-MD5 (RFC 2195): challenge {@code <random.time@host>}, response {@code user SP hex(HMAC-MD5)}.
 * Works for users stored as {@code {PLAIN}} or {@code {CRAM-MD5}}. No initial response (RFC 2195 has none).
 */
public final class CramMd5Mechanism implements SaslExchange {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SaslBackend backend;
    private final AuthContext context;
    private final String hostname;
    private byte[] challenge;
    private boolean finished;

    public CramMd5Mechanism(SaslBackend backend, AuthContext context, String hostname) {
        this.backend = backend;
        this.context = context;
        this.hostname = hostname;
    }

    @Override
    public String mechanism() {
        return "CRAM-MD5";
    }

    @Override
    public CompletableFuture<SaslStep> respond(byte[] clientResponse) {
        if (finished) {
            return SaslSupport.protocolError(backend, null, "exchange already finished", context, mechanism());
        }
        if (challenge == null) {
            if (clientResponse != null && clientResponse.length > 0) {
                finished = true;
                return SaslSupport.protocolError(backend, null, "CRAM-MD5 has no initial response", context, mechanism());
            }
            challenge = ("<" + Long.toUnsignedString(RANDOM.nextLong()) + "." + System.currentTimeMillis() + "@" + hostname + ">")
                .getBytes(StandardCharsets.US_ASCII);
            return CompletableFuture.completedFuture(SaslStep.challenge(challenge));
        }
        finished = true;
        String text = clientResponse == null ? "" : new String(clientResponse, StandardCharsets.UTF_8);
        int sp = text.lastIndexOf(' ');
        if (sp <= 0) {
            return SaslSupport.protocolError(backend, null, "malformed CRAM-MD5 response", context, mechanism());
        }
        String user = text.substring(0, sp);
        byte[] digest;
        try {
            digest = HexFormat.of().parseHex(text.substring(sp + 1).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return SaslSupport.protocolError(backend, user, "malformed CRAM-MD5 digest", context, mechanism());
        }
        return backend.cramMd5Digest(user, challenge, context).thenCompose(lookup -> {
            if (lookup.refusal() != null) {
                return CompletableFuture.completedFuture(lookup.refusal());
            }
            return backend.complete(lookup, MessageDigest.isEqual(digest, lookup.value()), context, mechanism());
        }).thenApply(SaslStep::done);
    }

    @Override
    public void abort() {
        if (!finished) {
            finished = true;
            backend.fail(null, "aborted by client", context, mechanism());
        }
    }
}
