package org.mailserver.imap.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.imap.ImapConfig;
import org.mailserver.imap.codec.DecodeFailure;
import org.mailserver.imap.codec.ImapRequest;
import org.mailserver.imap.command.CommandSpec;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.NoWait;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection's protocol state machine (RFC 3501 3): it receives framed requests from the transport,
 * runs them one at a time in arrival order through the {@link org.mailserver.imap.command.CommandRegistry},
 * enforces each command's legal states, reports mailbox changes at the points RFC 3501 7.4.1 allows, and owns
 * the timeouts. Commands waiting for more client input (AUTHENTICATE, IDLE) install a {@link Continuation}.
 * Event-loop confined; storage work goes through {@link #blocking}. A crash in a command is answered
 * {@code NO [SERVERBUG]} and the session goes on.
 */
public final class ImapSession {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    private static final int MAX_QUEUED = 32;
    /** Replies of pipelined commands answered in one drain are flushed at least every this many bytes. */
    private static final int FLUSH_BYTES = 64 * 1024;

    /** Extensions a client may ENABLE (RFC 5161). */
    public enum Enabled {
        CONDSTORE, QRESYNC, UTF8_ACCEPT,
        /** RFC 9051 behaviour: no \Recent, SEARCH answered with ESEARCH, UTF-8 mailbox names, [CLOSED] always. */
        IMAP4REV2
    }

    /** Receives client lines while a command waits for them (AUTHENTICATE responses, IDLE's DONE). */
    public interface Continuation {
        void onLine(String line);
    }

    /** A blocking storage call. */
    @FunctionalInterface
    public interface StorageCall<T> {
        T call() throws Exception;
    }

    private final ImapTransport transport;
    private final ListenerContext listener;
    private final ImapConfig config;
    private final ServerResources resources;
    private final Deque<Object> queue = new ArrayDeque<>();
    private final Set<Enabled> enabled = EnumSet.noneOf(Enabled.class);
    private final FairWorkPool.Lane lane;

    private SessionState state = SessionState.NOT_AUTHENTICATED;
    private boolean busy;
    private Continuation continuation;
    private volatile boolean idling;
    private boolean compressed;
    private String user;
    private UserInfo userInfo;
    private MailStore store;
    private SelectedMailbox selected;
    private final SessionTimers timers;
    private boolean limiterSlot;
    private String disconnectReason = "Connection closed";
    private boolean started;

    public ImapSession(ImapTransport transport, ListenerContext listener, ImapConfig config, ServerResources resources) {
        this.transport = transport;
        this.listener = listener;
        this.config = config;
        this.resources = resources;
        this.timers = new SessionTimers(transport, config);
        this.lane = resources.workers().newLane();
    }

    // ---- connection lifecycle ----

    public void start() {
        if (started) {
            return;
        }
        started = true;
        writeLine("* OK [CAPABILITY " + capabilities() + "] mailserver ready.");
        transport.flush();
        armTimeout();
        timers.startLoginDeadline(() -> {
            if (state == SessionState.NOT_AUTHENTICATED) {
                bye("Disconnected: no login in time.", "Login not completed in time");
            }
        });
    }

    /** A framed request or decode failure from the transport. */
    public void onInput(Object input) {
        if (state == SessionState.LOGOUT) {
            if (input instanceof ImapRequest r) {
                r.release();
            }
            return;
        }
        queue.add(input);
        if (queue.size() > MAX_QUEUED) {
            transport.setReading(false);
        }
        drain();
    }

    /** The connection closed (by either side). */
    public void closed() {
        timers.cancel();
        queue.forEach(o -> {
            if (o instanceof ImapRequest r) {
                r.release();
            }
        });
        queue.clear();
        if (busy) {
            releaseWhenIdle = true; // a command still uses the view and the store on the blocking pool
        } else {
            releaseStorage();
        }
        if (limiterSlot) {
            resources.limiter().release(user, remoteIp());
            limiterSlot = false;
        }
        SessionLog.disconnected(transport, user, disconnectReason);
        state = SessionState.LOGOUT;
    }

    private void drain() {
        boolean outer = draining;
        draining = true;
        try {
            drainQueue();
        } finally {
            draining = outer;
        }
    }

    private void drainQueue() {
        long flushedAt = transport.bytesOut();
        while (!queue.isEmpty() && state != SessionState.LOGOUT && (!busy || continuation != null)) {
            Object input = queue.poll();
            armTimeout();
            if (input instanceof DecodeFailure f) {
                decodeFailure(f);
            } else if (continuation != null) {
                ImapRequest r = (ImapRequest) input;
                r.release();
                continuation.onLine(r.lines().get(0));
            } else {
                dispatch((ImapRequest) input);
            }
            if (transport.bytesOut() - flushedAt >= FLUSH_BYTES) {
                // pipelined commands answered here: replies go out as they add up, not all at the end
                transport.flush();
                flushedAt = transport.bytesOut();
            }
        }
        if (queue.size() < MAX_QUEUED / 2) {
            transport.setReading(true);
        }
        transport.flush();
    }

    private void decodeFailure(DecodeFailure f) {
        String text = switch (f.reason()) {
            case LINE_TOO_LONG -> "BAD Command line too long";
            case COMMAND_TOO_LONG -> "BAD Command too long";
            case LITERAL_TOO_BIG -> "NO [TOOBIG] Literal too large (APPENDLIMIT=" + config.appendLimit() + ")";
            case BAD_LITERAL -> "BAD Invalid literal size";
        };
        if (continuation != null && !f.fatal()) {
            continuation.onLine(""); // an oversized continuation line: let the waiting command fail it
            return;
        }
        writeLine(f.tag() + " " + text);
        if (f.fatal()) {
            bye("Unable to resynchronise after a refused non-synchronizing literal (RFC 7888)", "Refused literal");
        }
    }

    private void dispatch(ImapRequest request) {
        CommandCheck check = CommandCheck.of(request, resources.registry(), state, transport.secured(),
            () -> mechanisms().isEmpty());
        if (check.refusal() != null) {
            request.release();
            writeLine(check.refusal());
            return;
        }
        String tag = check.tag();
        CommandSpec spec = check.spec();
        if (LOG.isDebugEnabled()) {
            LOG.debug("imap({}): {} {}", user == null ? "" : user, tag, spec.name());
        }
        busy = true;
        CompletionStage<String> result;
        try {
            result = spec.command().execute(this, tag, check.args());
        } catch (Exception e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((ok, err) -> {
            if (!transport.inEventLoop() || (draining && afterReply != null)) {
                // from another thread; or a command that changes the connection after its reply (STARTTLS, COMPRESS,
                // LOGOUT): the lines the decoder still hands over from this read are queued first, and the action
                // drops them (RFC 3501 6.2.1: nothing pipelined after STARTTLS in plaintext may be answered)
                onLoop(() -> finish(tag, spec, request, ok, err));
            } else if (draining) {
                // completed during dispatch (answered from memory, or a small FETCH run on the event loop) or by a
                // continuation line: the tagged reply is written now, so that the drain's one flush sends it with
                // the command's data (one TLS record, one write, one wake-up of the client instead of two); the
                // drain loop then goes on with the next queued command itself (no recursion into drain)
                replyLogged(tag, spec, request, ok, err);
            } else {
                // completed by a task of the event loop (the work pool's result): answer now rather than queue
                // the reply behind whatever other sessions queued on this loop meanwhile (their FETCH chunks)
                finishLogged(tag, spec, request, ok, err);
            }
        });
    }

    private void replyLogged(String tag, CommandSpec spec, ImapRequest request, String ok, Throwable err) {
        try {
            if (reply(tag, spec, request, ok, err)) {
                armTimeout();
            }
        } catch (RuntimeException e) {
            LOG.error("imap({}): finishing {} {} failed", user == null ? "" : user, tag, spec.name(), e);
        }
    }

    /** True while {@link #drain} runs: a command completed then must not re-enter it. */
    private boolean draining;

    private void finishLogged(String tag, CommandSpec spec, ImapRequest request, String ok, Throwable err) {
        try {
            finish(tag, spec, request, ok, err);
        } catch (RuntimeException e) {
            LOG.error("imap({}): finishing {} {} failed", user == null ? "" : user, tag, spec.name(), e);
        }
    }

    private boolean releaseWhenIdle;

    /** Closes the selected view and the store, off the event loop (they may touch the disk). */
    private void releaseStorage() {
        closeMailbox();
        if (store != null) {
            MailStore s = store;
            store = null;
            offLoop(s::close);
        }
    }

    /** Runs cleanup on the blocking pool; inline when the pool no longer accepts work (daemon shutdown). */
    private void offLoop(Runnable r) {
        try {
            listener.blockingExecutor().execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    private void finish(String tag, CommandSpec spec, ImapRequest request, String okText, Throwable err) {
        if (reply(tag, spec, request, okText, err)) {
            armTimeout();
            drain();
        }
    }

    /** Writes the tagged reply (not flushed) and frees the session for its next command; false once logged out. */
    private boolean reply(String tag, CommandSpec spec, ImapRequest request, String okText, Throwable err) {
        request.release();
        if (state == SessionState.LOGOUT) {
            busy = false;
            if (releaseWhenIdle) {
                releaseWhenIdle = false;
                releaseStorage();
            }
            return false;
        }
        sendUpdates(spec.mayExpunge());
        writeLine(tag + " " + (err == null ? "OK " + okText : ErrorMapper.reply(err, user)));
        busy = false;
        if (afterReply != null && err == null) {
            Runnable r = afterReply;
            afterReply = null;
            r.run();
        }
        afterReply = null;
        return state != SessionState.LOGOUT;
    }

    private Runnable afterReply;

    /** Runs once the command's tagged OK has been written (STARTTLS, COMPRESS, LOGOUT). */
    public void afterReply(Runnable action) {
        afterReply = action;
    }

    /** LOGOUT: the tagged OK is written, then the connection closes (RFC 3501 6.1.3). */
    public void logoutAfterReply() {
        afterReply(() -> {
            state = SessionState.LOGOUT;
            disconnectReason = "Logged out";
            transport.close();
        });
    }

    /** Says BYE and closes (timeouts, fatal errors, a deleted selected mailbox); {@code logReason} goes to the log line. */
    public void bye(String text, String logReason) {
        writeLine("* BYE " + text);
        disconnectReason = logReason;
        state = SessionState.LOGOUT;
        transport.close();
    }

    private void armTimeout() {
        boolean loggedIn = state == SessionState.AUTHENTICATED || state == SessionState.SELECTED;
        timers.arm(loggedIn, wasLoggedIn -> {
            if (state != SessionState.LOGOUT) {
                bye(wasLoggedIn ? "Disconnected for inactivity." : "Disconnected for inactivity during login.",
                    wasLoggedIn ? "Inactivity" : "Inactivity during authentication");
            }
        });
    }

    // ---- mailbox changes ----

    /** Called on the event loop whenever the selected mailbox recorded a change. */
    public void mailboxChanged() {
        if (idling) {
            sendUpdates(true);
            transport.flush();
        }
    }

    /** Reports pending changes of the selected mailbox; expunges only when allowed (RFC 3501 7.4.1). */
    public void sendUpdates(boolean allowExpunge) {
        if (selected == null) {
            return;
        }
        if (selected.gone()) {
            bye("Selected mailbox was deleted or renamed, have to disconnect.", "Mailbox deleted");
            return;
        }
        MailboxUpdates.report(this, selected, allowExpunge);
    }

    // ---- helpers for commands ----

    /**
     * Runs blocking work on the IMAP {@link FairWorkPool}, in this session's lane (so a session that has used
     * little time goes first); the future completes on the event loop.
     */
    public <T> CompletableFuture<T> blocking(StorageCall<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            resources.workers().execute(lane, () -> {
                try {
                    T v = call.call();
                    transport.eventLoop().execute(() -> f.complete(v));
                } catch (Throwable e) {
                    transport.eventLoop().execute(() -> f.completeExceptionally(e));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new StorageException(StorageError.TEMPORARY, "Server busy, try again later"));
        }
        return f;
    }

    /**
     * Runs a storage call here, on the event loop, for work bounded to a small read from memory or one small
     * file that changes nothing (the caller decides): a command answered without the two thread hand-overs of
     * {@link #blocking}. Never waits for a mailbox lock: when another thread holds one ({@link NoWait}), the
     * same call runs on the work pool instead.
     */
    public <T> CompletableFuture<T> onEventLoop(StorageCall<T> call) {
        try {
            return CompletableFuture.completedFuture(NoWait.call(call::call));
        } catch (NoWait.WouldBlockException busy) {
            return blocking(call);
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void onLoop(Runnable r) {
        transport.eventLoop().execute(r);
    }

    public void writeLine(String line) {
        transport.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] bytes) {
        transport.write(bytes);
    }

    public void flush() {
        transport.flush();
    }

    public void setContinuation(Continuation c) {
        continuation = c;
        if (c != null && !queue.isEmpty()) {
            onLoop(this::drain); // a line that arrived before the continuation was asked for
        }
    }

    /** Whether the client is in IDLE (any thread may ask: background work waits for it). */
    public boolean idling() {
        return idling;
    }

    /** While idling, "* OK Still here" keeps NAT and firewall state alive (Dovecot's imap_idle_notify_interval). */
    public void setIdling(boolean idling) {
        this.idling = idling;
        timers.idle(idling, () -> {
            if (this.idling && state != SessionState.LOGOUT) {
                writeLine("* OK Still here");
                transport.flush();
            }
        });
    }

    public String capabilities() {
        return Capabilities.of(this);
    }

    public AuthContext authContext() {
        return new AuthContext("imap", transport.remoteAddress(), transport.localAddress(), transport.secured());
    }

    public List<String> mechanisms() {
        return listener.services().find(AuthService.class).map(a -> a.mechanisms(authContext())).orElse(List.of());
    }

    public boolean tlsAvailable() {
        return listener.tls() != null && listener.tls().available();
    }

    public String remoteIp() {
        return SessionLog.ip(transport.remoteAddress());
    }

    /**
     * Completes a successful login: takes a user+IP slot (mail_max_userip_connections), opens the store and
     * enters the authenticated state. Completes with the tagged OK text, or fails with NO [LIMIT].
     */
    public CompletableFuture<String> loggedIn(UserInfo info, String method) {
        return loggedIn(info, method, null);
    }

    /**
     * Opens a user's store on the calling thread, for LOGIN to do on the thread that checked the password
     * (an auth worker) what {@link #loggedIn} would otherwise hand to the work pool: one thread hand-over less
     * per login, each a wake-up that waits for a CPU when 50 clients log in at once. Never throws.
     */
    public CompletableFuture<MailStore> openStoreHere(UserInfo info) {
        try {
            return CompletableFuture.completedFuture(listener.services().require(MailStoreProvider.class).open(info));
        } catch (Exception | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** As {@link #loggedIn(UserInfo, String)}, with the store already opened ({@link #openStoreHere}) or null. */
    public CompletableFuture<String> loggedIn(UserInfo info, String method, CompletableFuture<MailStore> openedHere) {
        String ip = remoteIp();
        if (!resources.limiter().tryAcquire(info.user(), ip, config.maxUserIpConnections())) {
            if (openedHere != null) {
                openedHere.thenAccept(st -> offLoop(st::close));
            }
            return CompletableFuture.failedFuture(ImapException.no("LIMIT",
                "Maximum number of connections from user+IP exceeded (mail_max_userip_connections="
                    + config.maxUserIpConnections() + ")"));
        }
        limiterSlot = true;
        user = info.user();
        userInfo = info;
        MailStoreProvider provider = listener.services().require(MailStoreProvider.class);
        CompletableFuture<MailStore> opening = openedHere != null ? openedHere : blocking(() -> provider.open(info));
        return opening.thenApply(opened -> {
            if (state == SessionState.LOGOUT) {
                opened.close(); // the client went away while the store was opening
                throw new java.util.concurrent.CancellationException("connection closed during login");
            }
            store = opened;
            state = SessionState.AUTHENTICATED;
            timers.loggedIn();
            transport.setAuthenticated(true);
            SessionLog.login(transport, user, method);
            return "[CAPABILITY " + capabilities() + "] Logged in";
        }).whenComplete((ok, err) -> {
            if (err != null) {
                resources.limiter().release(info.user(), ip);
                limiterSlot = false;
                user = null;
            }
        });
    }

    /** Makes a mailbox the selected one (or none), closing the previous view. */
    public void select(SelectedMailbox mailbox) {
        closeMailbox();
        selected = mailbox;
        if (mailbox != null) {
            state = SessionState.SELECTED;
        } else if (state == SessionState.SELECTED) {
            state = SessionState.AUTHENTICATED;
        }
    }

    private void closeMailbox() {
        if (selected != null) {
            SelectedMailbox old = selected;
            selected = null;
            offLoop(old::close);
        }
    }

    /** Enters compression after the tagged OK of COMPRESS has been written. */
    public void startCompression() {
        compressed = true;
        transport.startCompression();
    }

    /** STARTTLS: drops anything pipelined after the command (RFC 3501 6.2.1: no plaintext injection). */
    public void startTls(Runnable onStarted) {
        queue.forEach(o -> {
            if (o instanceof ImapRequest r) {
                r.release();
            }
        });
        queue.clear();
        transport.startTls(onStarted);
    }

    public SessionState state() {
        return state;
    }

    public ImapTransport transport() {
        return transport;
    }

    public ImapConfig config() {
        return config;
    }

    public ServerResources resources() {
        return resources;
    }

    public ListenerContext listener() {
        return listener;
    }

    public boolean compressed() {
        return compressed;
    }

    public String user() {
        return user;
    }

    public UserInfo userInfo() {
        return userInfo;
    }

    public MailStore store() {
        return store;
    }

    public SelectedMailbox selected() {
        return selected;
    }

    public Set<Enabled> enabled() {
        return enabled;
    }

    public boolean isEnabled(Enabled e) {
        return enabled.contains(e);
    }

    /** UTF-8 mailbox names and quoted strings: UTF8=ACCEPT (RFC 6855 3) or IMAP4rev2 (RFC 9051 5.1). */
    public boolean utf8() {
        return enabled.contains(Enabled.UTF8_ACCEPT) || enabled.contains(Enabled.IMAP4REV2);
    }

    public boolean rev2() {
        return enabled.contains(Enabled.IMAP4REV2);
    }
}
