package org.mailserver.core.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.SaslExchange;
import org.mailserver.core.auth.scheme.ScramCredential;

/**
 * SCRAM-SHA-1 / SCRAM-SHA-256 server side (RFC 5802, RFC 7677), without channel binding (no -PLUS variants):
 * client-first, server-first (our nonce, salt, iterations), client-final with the proof, then the
 * server-final {@code v=} verifier sent as one more challenge, answered by an empty response (SMTP AUTH and
 * IMAP AUTHENTICATE have no success data). Works for users whose stored password is {@code {PLAIN}} or
 * Dovecot's {@code {SCRAM-SHA-*}} of the same hash; others (and unknown users) get a fake salt and fail at
 * the proof, so the exchange does not reveal which users exist. The user name is not SASLprep'd.
 */
public final class ScramMechanism implements SaslExchange {
    private enum State { CLIENT_FIRST, CLIENT_FINAL, SERVER_FINAL_SENT, DONE }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SaslBackend backend;
    private final AuthContext context;
    private final String hash;
    private final Supplier<String> nonceSource;
    private State state = State.CLIENT_FIRST;
    private boolean challengedEmpty;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String user;
    private SaslBackend.Lookup<ScramCredential> lookup;
    private AuthResult success;

    /** {@code hash} is "SHA-1" or "SHA-256". */
    public ScramMechanism(SaslBackend backend, AuthContext context, String hash) {
        this(backend, context, hash, ScramMechanism::randomNonce);
    }

    /** With a fixed server nonce source, for the RFC test vectors. */
    public ScramMechanism(SaslBackend backend, AuthContext context, String hash, Supplier<String> nonceSource) {
        this.backend = backend;
        this.context = context;
        this.hash = hash;
        this.nonceSource = nonceSource;
    }

    @Override
    public String mechanism() {
        return hash.equals("SHA-1") ? "SCRAM-SHA-1" : "SCRAM-SHA-256";
    }

    @Override
    public CompletableFuture<SaslStep> respond(byte[] clientResponse) {
        switch (state) {
            case CLIENT_FIRST:
                if (clientResponse == null && !challengedEmpty) {
                    challengedEmpty = true;
                    return CompletableFuture.completedFuture(SaslStep.challenge(new byte[0]));
                }
                return clientFirst(text(clientResponse));
            case CLIENT_FINAL:
                return clientFinal(text(clientResponse));
            case SERVER_FINAL_SENT:
                state = State.DONE;
                if (clientResponse != null && clientResponse.length > 0) {
                    return error("unexpected data after server-final message");
                }
                return CompletableFuture.completedFuture(SaslStep.done(success));
            default:
                return error("exchange already finished");
        }
    }

    private CompletableFuture<SaslStep> clientFirst(String msg) {
        state = State.DONE; // until proven otherwise
        // RFC 5802 section 7: gs2-cbind-flag "," [authzid] "," client-first-message-bare
        String[] f = msg.split(",", -1);
        if (f.length < 4) {
            return error("malformed client-first-message");
        }
        if (f[0].startsWith("p=")) {
            return error("channel binding not supported");
        }
        if (!f[0].equals("n") && !f[0].equals("y")) {
            return error("malformed gs2-cbind-flag");
        }
        String authzid = null;
        if (!f[1].isEmpty()) {
            if (!f[1].startsWith("a=")) {
                return error("malformed authzid");
            }
            authzid = saslname(f[1].substring(2));
        }
        // RFC 5802 section 5.1 "m": a server MUST fail the exchange when the reserved extension is present.
        if (f[2].startsWith("m=")) {
            return error("mandatory extension not supported");
        }
        if (!f[2].startsWith("n=") || !f[3].startsWith("r=") || f[3].length() < 3) {
            return error("malformed client-first-message");
        }
        user = saslname(f[2].substring(2));
        if (user == null || user.isEmpty() || (f[1].length() > 0 && authzid == null)) {
            return error("malformed user name");
        }
        if (authzid != null && !authzid.equals(user)) {
            return error("authzid not allowed with SCRAM (master users need PLAIN or LOGIN)");
        }
        gs2Header = f[0] + "," + f[1] + ",";
        clientFirstBare = msg.substring(gs2Header.length());
        nonce = f[3].substring(2) + nonceSource.get();
        return backend.scramCredential(user, hash, context).thenApply(l -> {
            if (l.refusal() != null) {
                return SaslStep.done(l.refusal());
            }
            lookup = l;
            ScramCredential c = l.value();
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(c.salt()) + ",i=" + c.iterations();
            state = State.CLIENT_FINAL;
            return SaslStep.challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
        });
    }

    private CompletableFuture<SaslStep> clientFinal(String msg) {
        state = State.DONE;
        int proofAt = msg.lastIndexOf(",p=");
        if (proofAt < 0) {
            return error("malformed client-final-message");
        }
        String withoutProof = msg.substring(0, proofAt);
        String[] f = withoutProof.split(",", -1);
        if (f.length < 2 || !f[0].startsWith("c=") || !f[1].startsWith("r=")) {
            return error("malformed client-final-message");
        }
        byte[] proof;
        byte[] binding;
        try {
            proof = Base64.getDecoder().decode(msg.substring(proofAt + 3));
            binding = Base64.getDecoder().decode(f[0].substring(2));
        } catch (IllegalArgumentException e) {
            return error("malformed base64 in client-final-message");
        }
        // RFC 5802 section 5.1 "c": without channel binding it is the base64 of the gs2-header.
        if (!MessageDigest.isEqual(binding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
            return error("channel binding mismatch");
        }
        if (!f[1].substring(2).equals(nonce)) {
            return error("nonce mismatch");
        }
        ScramCredential c = lookup.value();
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] signature = ScramCredential.hmac(hash, c.storedKey(), authMessage);
        boolean ok = proof.length == signature.length;
        if (ok) {
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ signature[i]);
            }
            ok = MessageDigest.isEqual(ScramCredential.digest(hash, clientKey), c.storedKey());
        }
        return backend.complete(lookup, ok, context, mechanism()).thenApply(result -> {
            if (!result.ok()) {
                return SaslStep.done(result);
            }
            success = result;
            state = State.SERVER_FINAL_SENT;
            String verifier = "v=" + Base64.getEncoder().encodeToString(ScramCredential.hmac(hash, c.serverKey(), authMessage));
            return SaslStep.challenge(verifier.getBytes(StandardCharsets.UTF_8));
        });
    }

    /** RFC 5802 section 5.1: "=2C" is ',', "=3D" is '=', any other '=' is invalid (null). */
    static String saslname(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '=') {
                b.append(ch);
            } else if (s.startsWith("=2C", i)) {
                b.append(',');
                i += 2;
            } else if (s.startsWith("=3D", i)) {
                b.append('=');
                i += 2;
            } else {
                return null;
            }
        }
        return b.toString();
    }

    private CompletableFuture<SaslStep> error(String reason) {
        state = State.DONE;
        return SaslSupport.protocolError(backend, user, reason, context, mechanism());
    }

    private static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    private static String randomNonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @Override
    public void abort() {
        if (state != State.DONE) {
            state = State.DONE;
            backend.fail(user, "aborted by client", context, mechanism());
        }
    }
}
