package org.mailserver.core.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.mailserver.core.auth.AuthResult.Status;
import org.mailserver.core.auth.db.AuthBackendException;
import org.mailserver.core.auth.db.NetMatcher;
import org.mailserver.core.auth.db.PassDb;
import org.mailserver.core.auth.db.PassDbEntry;
import org.mailserver.core.auth.db.UserDb;
import org.mailserver.core.auth.db.UserVariables;
import org.mailserver.core.auth.guard.GuessingGuard;
import org.mailserver.core.auth.sasl.SaslBackend;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import org.mailserver.core.auth.scheme.ScramCredential;

/**
 * The authentication flow shared by every mechanism: user name formatting, the guessing guard, passdb lookup
 * and password verification on a bounded worker pool ({@code auth_worker_threads}, queue
 * {@code auth_worker_queue}: when full, logins fail temporarily instead of piling up), the userdb lookup, the
 * failure delay (a timer completes the future later: no thread waits) and the log lines. Futures complete on
 * the worker pool or the delay timer; callers hop back to their event loop. {@link #close()} stops both pools.
 */
public final class AuthEngine implements SaslBackend, AutoCloseable {
    static final String FAILED_MESSAGE = "authentication failed";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuthEngine.class);

    /** Outcome of a verification before the guard and the delay are applied. */
    private record Check(AuthResult result, String logReason) {
        static Check ok(UserInfo info) {
            return new Check(AuthResult.ok(info.user(), info), null);
        }

        static Check fail(String logReason) {
            return new Check(AuthResult.failed(FAILED_MESSAGE), logReason);
        }

        static Check temp(String logReason) {
            return new Check(new AuthResult(Status.TEMPORARY_FAILURE, null, null, "temporary authentication failure"),
                logReason);
        }
    }

    private final AuthConfig config;
    private final PassDb passDb;
    private final UserDb userDb;
    private final PasswordSchemes schemes;
    private final MasterUsers masters;
    private final GuessingGuard guard;
    private final AuthExecutors executors;
    private final byte[] fakeSecret = new byte[32];

    public AuthEngine(AuthConfig config, PassDb passDb, UserDb userDb, PasswordSchemes schemes) {
        this(config, passDb, userDb, schemes, null);
    }

    /** With master users ({@code masters} may be null: none). */
    public AuthEngine(AuthConfig config, PassDb passDb, UserDb userDb, PasswordSchemes schemes, MasterUsers masters) {
        this.masters = masters;
        this.config = config;
        this.passDb = passDb;
        this.userDb = userDb;
        this.schemes = schemes;
        this.guard = new GuessingGuard(config.guard());
        this.executors = new AuthExecutors(config.workerThreads(), config.workerQueue());
        RANDOM.nextBytes(fakeSecret);
    }

    public AuthConfig config() {
        return config;
    }

    public PassDb passDb() {
        return passDb;
    }

    public UserDb userDb() {
        return userDb;
    }

    /** Normalizes a login name: domain lower-cased, then auth_username_format. Rejects unusable names. */
    public String formatUser(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 255 || raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("invalid user name");
        }
        return UserVariables.expand(config.usernameFormat(), UserVariables.normalizeDomain(raw));
    }

    public boolean plaintextAllowed(AuthContext ctx) {
        if (!config.disablePlaintextAuth() || ctx.secured()) {
            return true;
        }
        InetAddress ip = ctx.remote() == null ? null : ctx.remote().getAddress();
        return config.allowPlaintextLoopback() && (ctx.remote() == null || (ip != null && ip.isLoopbackAddress()));
    }

    /** userdb lookup for an already authenticated or delivering-to user; empty when unknown or on error. */
    public Optional<UserInfo> lookupUser(String user) {
        try {
            return userDb.lookup(formatUser(user));
        } catch (AuthBackendException e) {
            AuthLog.backend(userDb.driver(), user, null, e.getMessage());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public CompletableFuture<AuthResult> verifyPlain(String authcid, String password, AuthContext ctx, String mechanism) {
        if (masters != null && !masters.separator().isEmpty() && authcid != null && authcid.contains(masters.separator())) {
            int at = authcid.indexOf(masters.separator());
            return verifyMaster(authcid.substring(0, at), authcid.substring(at + masters.separator().length()), password,
                ctx, mechanism);
        }
        String user;
        try {
            user = formatUser(authcid);
        } catch (IllegalArgumentException e) {
            return fail(authcid, "unknown user (" + e.getMessage() + ")", ctx, mechanism);
        }
        AuthResult refusal = refusal(user, ctx, mechanism);
        if (refusal != null) {
            return refusal.status() == Status.LOCKED_OUT ? later(refusal, guard.lockedDelay()) : done(refusal);
        }
        return onWorkers(() -> verifyOnWorker(user, password, ctx), ctx)
            .thenCompose(check -> finish(user, check, ctx, mechanism));
    }

    private Check verifyOnWorker(String user, String password, AuthContext ctx) {
        PassDbEntry entry;
        try {
            Optional<PassDbEntry> found = passDb.lookup(user);
            if (found.isEmpty()) {
                return Check.fail("unknown user");
            }
            entry = found.get();
        } catch (AuthBackendException e) {
            return Check.temp(e.getMessage());
        }
        if (!entry.noPassword()) {
            switch (schemes.verify(password, entry.password(), config.defaultPassScheme())) {
                case MATCH:
                    break;
                case UNKNOWN_SCHEME:
                    return Check.temp("unknown password scheme in stored password");
                default:
                    return Check.fail("password mismatch");
            }
        }
        return afterProof(entry, ctx);
    }

    @Override
    public CompletableFuture<AuthResult> verifyMaster(String target, String master, String password, AuthContext ctx,
                                                      String mechanism) {
        if (masters == null) {
            return fail(master, "authzid not allowed: master users are not configured", ctx, mechanism);
        }
        String masterName;
        String targetName;
        try {
            masterName = formatUser(master);
            targetName = formatUser(target);
        } catch (IllegalArgumentException e) {
            return fail(master, "unknown user (" + e.getMessage() + ")", ctx, mechanism);
        }
        AuthResult refusal = refusal(masterName, ctx, mechanism);
        if (refusal != null) {
            return refusal.status() == Status.LOCKED_OUT ? later(refusal, guard.lockedDelay()) : done(refusal);
        }
        return onWorkers(() -> verifyMasterOnWorker(masterName, targetName, password, ctx), ctx).thenCompose(check -> {
            if (check.result().ok()) {
                AuthLog.master(masterName, check.result().user(), ctx, mechanism);
            }
            return finish(masterName, check, ctx, mechanism);
        });
    }

    private Check verifyMasterOnWorker(String master, String target, String password, AuthContext ctx) {
        PassDbEntry entry;
        try {
            Optional<PassDbEntry> found = masters.passDb().lookup(master);
            if (found.isEmpty()) {
                return Check.fail("unknown user (master user)");
            }
            entry = found.get();
        } catch (AuthBackendException e) {
            return Check.temp(e.getMessage());
        }
        if (entry.noPassword()) {
            return Check.fail("master user with nopassword refused");
        }
        if (schemes.verify(password, entry.password(), config.defaultPassScheme()) != PasswordSchemes.Verdict.MATCH) {
            return Check.fail("password mismatch (master user)");
        }
        Check masterOk = loginRestrictions(entry, ctx);
        if (masterOk != null) {
            return masterOk;
        }
        try {
            Optional<UserInfo> info = userDb.lookup(target);
            return info.map(Check::ok).orElseGet(() -> Check.fail("master user login: target user not found from userdb"));
        } catch (AuthBackendException e) {
            return Check.temp(e.getMessage());
        }
    }

    /** The checks after a correct password: allow_nets, nologin, userdb. Runs on a worker. */
    private Check afterProof(PassDbEntry entry, AuthContext ctx) {
        Check refused = loginRestrictions(entry, ctx);
        if (refused != null) {
            return refused;
        }
        try {
            Optional<UserInfo> info = userDb.lookup(UserVariables.normalizeDomain(entry.user()));
            return info.map(Check::ok).orElseGet(() -> Check.fail("user not found from userdb"));
        } catch (AuthBackendException e) {
            return Check.temp(e.getMessage());
        }
    }

    /** allow_nets and nologin of a passdb entry: a failing Check, or null when the entry may log in. */
    private Check loginRestrictions(PassDbEntry entry, AuthContext ctx) {
        if (entry.allowNets() != null) {
            InetAddress ip = ctx.remote() == null ? null : ctx.remote().getAddress();
            if (!new NetMatcher(entry.allowNets()).matches(ip)) {
                return Check.fail("allow_nets check failed: IP not in allowed networks");
            }
        }
        if (entry.noLogin()) {
            String reason = entry.fields().get("reason");
            return new Check(AuthResult.failed(reason == null || reason.isEmpty() ? "user disabled" : reason),
                "user disabled (nologin)");
        }
        return null;
    }

    @Override
    public CompletableFuture<AuthResult> fail(String authcid, String reason, AuthContext ctx, String mechanism) {
        String user = authcid == null ? "" : authcid;
        return finish(user, Check.fail(reason), ctx, mechanism);
    }

    @Override
    public CompletableFuture<Lookup<ScramCredential>> scramCredential(String authcid, String hash, AuthContext ctx) {
        String mech = hash.equals("SHA-1") ? "SCRAM-SHA-1" : "SCRAM-SHA-256";
        return lookup(authcid, ctx, mech, (user, entry) -> {
            byte[] salt = ScramCredential.hmac("SHA-256", fakeSecret, (mech + "\0" + user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            salt = java.util.Arrays.copyOf(salt, 16);
            if (entry != null && !entry.noPassword()) {
                Optional<ScramCredential> stored = schemes.scramCredential(entry.password(), hash, config.defaultPassScheme());
                if (stored.isPresent()) {
                    return new Lookup<>(user, entry, stored.get(), null, null);
                }
                Optional<String> plain = schemes.plaintext(entry.password(), config.defaultPassScheme());
                if (plain.isPresent()) {
                    return new Lookup<>(user, entry, ScramCredential.derive(hash, plain.get(), salt,
                        config.costs().scramIterations()), null, null);
                }
            }
            // Unknown user or unusable credential: a fake that costs the same and fails at the end.
            ScramCredential fake = ScramCredential.derive(hash, Long.toHexString(System.nanoTime()), salt,
                config.costs().scramIterations());
            String why = entry == null ? "unknown user" : "stored password scheme does not allow " + mech;
            return new Lookup<>(user, entry, fake, why, null);
        });
    }

    @Override
    public CompletableFuture<Lookup<byte[]>> cramMd5Digest(String authcid, byte[] challenge, AuthContext ctx) {
        return lookup(authcid, ctx, "CRAM-MD5", (user, entry) -> {
            Optional<byte[]> digest = entry == null || entry.noPassword() ? Optional.empty()
                : schemes.cramMd5Response(entry.password(), config.defaultPassScheme(), challenge);
            if (digest.isPresent()) {
                return new Lookup<>(user, entry, digest.get(), null, null);
            }
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            return new Lookup<>(user, entry, random, entry == null ? "unknown user"
                : "stored password scheme does not allow CRAM-MD5", null);
        });
    }

    private interface CredentialFunction<T> {
        Lookup<T> apply(String user, PassDbEntry entry);
    }

    private <T> CompletableFuture<Lookup<T>> lookup(String authcid, AuthContext ctx, String mechanism, CredentialFunction<T> f) {
        String user;
        try {
            user = formatUser(authcid);
        } catch (IllegalArgumentException e) {
            return fail(authcid, "unknown user (" + e.getMessage() + ")", ctx, mechanism)
                .thenApply(r -> new Lookup<>(authcid, null, null, null, r));
        }
        AuthResult refusal = refusal(user, ctx, mechanism);
        if (refusal != null) {
            CompletableFuture<AuthResult> r = refusal.status() == Status.LOCKED_OUT ? later(refusal, guard.lockedDelay()) : done(refusal);
            return r.thenApply(res -> new Lookup<>(user, null, null, null, res));
        }
        CompletableFuture<Lookup<T>> out = new CompletableFuture<>();
        try {
            executors.execute(() -> {
                try {
                    out.complete(f.apply(user, passDb.lookup(user).orElse(null)));
                } catch (AuthBackendException e) {
                    AuthLog.backend(passDb.driver(), user, ctx, e.getMessage());
                    out.complete(new Lookup<>(user, null, null, null, Check.temp(e.getMessage()).result()));
                } catch (RuntimeException bug) {
                    LOG.error("auth: internal error", bug);
                    out.complete(new Lookup<>(user, null, null, null, Check.temp("internal error").result()));
                }
            });
        } catch (RejectedExecutionException busy) {
            AuthLog.busy();
            out.complete(new Lookup<>(user, null, null, null, Check.temp(null).result()));
        }
        return out;
    }

    @Override
    public CompletableFuture<AuthResult> complete(Lookup<?> lookup, boolean proofOk, AuthContext ctx, String mechanism) {
        if (lookup.refusal() != null) {
            return done(lookup.refusal());
        }
        if (lookup.failReason() != null) {
            return finish(lookup.user(), Check.fail(lookup.failReason()), ctx, mechanism);
        }
        if (!proofOk) {
            return finish(lookup.user(), Check.fail("password mismatch"), ctx, mechanism);
        }
        return onWorkers(() -> afterProof(lookup.entry(), ctx), ctx)
            .thenCompose(check -> finish(lookup.user(), check, ctx, mechanism));
    }

    /** A lock-out or plaintext refusal decided before any lookup, or null to go on. */
    private AuthResult refusal(String user, AuthContext ctx, String mechanism) {
        GuessingGuard.Decision d = guard.check(user, remoteIp(ctx));
        if (d == GuessingGuard.Decision.ALLOW) {
            return null;
        }
        AuthLog.failure("guard", user, ctx, mechanism, d == GuessingGuard.Decision.IP_LOCKED
            ? "login refused: too many failures from this IP" : "login refused: too many failures for this user");
        return new AuthResult(Status.LOCKED_OUT, null, null, "too many failed attempts, try again later");
    }

    private CompletableFuture<AuthResult> finish(String user, Check check, AuthContext ctx, String mechanism) {
        AuthResult r = check.result();
        switch (r.status()) {
            case OK:
                guard.recordSuccess(r.user(), remoteIp(ctx));
                AuthLog.success(r.user(), ctx, mechanism);
                return done(r);
            case TEMPORARY_FAILURE:
                if (check.logReason() != null) { // null: already counted by AuthLog.busy()
                    AuthLog.backend(passDb.driver(), user, ctx, check.logReason());
                }
                return done(r);
            default:
                Duration delay = guard.recordFailure(user, remoteIp(ctx));
                AuthLog.failure(passDb.driver(), user, ctx, mechanism, check.logReason());
                return later(r, delay);
        }
    }

    private CompletableFuture<Check> onWorkers(Supplier<Check> task, AuthContext ctx) {
        try {
            return executors.submit(() -> {
                try {
                    return task.get();
                } catch (RuntimeException bug) {
                    // Our bug or a driver's: a temporary failure for the client, the stack trace for us.
                    LOG.error("auth: internal error", bug);
                    return Check.temp("internal error: " + bug);
                }
            });
        } catch (RejectedExecutionException busy) {
            AuthLog.busy();
            return CompletableFuture.completedFuture(Check.temp(null));
        }
    }

    private CompletableFuture<AuthResult> later(AuthResult result, Duration delay) {
        return executors.later(result, delay);
    }

    private static CompletableFuture<AuthResult> done(AuthResult r) {
        return CompletableFuture.completedFuture(r);
    }

    private static InetAddress remoteIp(AuthContext ctx) {
        return ctx == null || ctx.remote() == null ? null : ctx.remote().getAddress();
    }

    @Override
    public void close() {
        executors.close();
    }
}
