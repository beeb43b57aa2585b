package org.mailserver.core.auth.sasl;

import java.util.concurrent.CompletableFuture;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthResult;
import org.mailserver.core.auth.db.PassDbEntry;
import org.mailserver.core.auth.scheme.ScramCredential;

/**
 * What the SASL mechanisms need from the auth engine: the plaintext check, credential lookups for the
 * challenge-response mechanisms, and the common ending (guessing protection, failure delay, log line, userdb).
 * Every future completes on the auth worker pool or the delay timer, never on the caller's thread.
 */
public interface SaslBackend {

    /** Full plaintext check (PLAIN, LOGIN, IMAP LOGIN). */
    CompletableFuture<AuthResult> verifyPlain(String authcid, String password, AuthContext context, String mechanism);

    /** A master user ({@code master}, with its own password) logging in as {@code target}; refused without masters. */
    CompletableFuture<AuthResult> verifyMaster(String target, String master, String password, AuthContext context,
                                               String mechanism);

    /** A failed exchange (malformed message, refused authzid, abort): counted, delayed, logged. */
    CompletableFuture<AuthResult> fail(String authcid, String reason, AuthContext context, String mechanism);

    /** The SCRAM credential for {@code authcid} ("SHA-1"/"SHA-256"); a believable fake for unknown users. */
    CompletableFuture<Lookup<ScramCredential>> scramCredential(String authcid, String hash, AuthContext context);

    /** The expected CRAM-MD5 digest of {@code challenge} for {@code authcid}; a random one for unknown users. */
    CompletableFuture<Lookup<byte[]>> cramMd5Digest(String authcid, byte[] challenge, AuthContext context);

    /** Ends a challenge-response exchange: {@code proofOk} says whether the client proved the credential. */
    CompletableFuture<AuthResult> complete(Lookup<?> lookup, boolean proofOk, AuthContext context, String mechanism);

    /**
     * A credential lookup. {@code refusal} non-null means stop now with that result (locked out, temporary
     * failure); otherwise {@code value} is usable (real or fake) and {@code failReason} non-null means the
     * exchange must fail at its end for that reason (unknown user, stored scheme unsuitable).
     */
    record Lookup<T>(String user, PassDbEntry entry, T value, String failReason, AuthResult refusal) {
    }
}
