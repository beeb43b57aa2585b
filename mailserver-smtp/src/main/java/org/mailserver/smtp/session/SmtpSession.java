package org.mailserver.smtp.session;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.smtp.codec.SmtpInput;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.command.CommandRegistry;
import org.mailserver.smtp.command.SmtpCommand;
import org.mailserver.smtp.transport.SmtpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP or LMTP connection: its state, what the client told us, the current {@link Transaction}, and
 * the dispatcher that checks each command against the registry's flags before running it. Lives on the
 * connection's event loop; blocking work goes through {@link #offLoop} and comes back there.
 *
 * <p>Guarantees: a client error gets a protocol reply, our own failure gets 451 4.3.0 and a logged stack
 * trace, never a dropped connection without a word; nothing is acknowledged with 250 before the sink
 * made it durable; on disconnect a message being received is aborted. Log lines follow Postfix smtpd's.
 */
public final class SmtpSession {
    private static final Logger SMTPD = LoggerFactory.getLogger("org.mailserver.smtpd");
    private static final Logger LMTPD = LoggerFactory.getLogger("org.mailserver.lmtpd");

    public final SmtpTransport transport;
    public final SessionConfig config;
    public final SessionServices services;
    public final SmtpDialect dialect;
    public final String serviceName;
    private final CommandRegistry registry;

    public SessionState state = SessionState.CONNECTED;
    public String helo;
    public boolean esmtp;
    public String authUser;
    public String authMethod;
    public SmtpTransport.TlsInfo tls;
    public Transaction tx = new Transaction();
    public String clientName = "unknown";
    public final String clientIp;
    /** Per-chunk BDAT bookkeeping: the size and LAST flag of the chunk being read. */
    public long bdatChunkSize;
    public boolean bdatLast;
    /** The SASL exchange in progress, or null. */
    public org.mailserver.core.auth.SaslExchange sasl;
    /** A refused BDAT chunk is being read and dropped; this is the reply for its end. */
    public SmtpReply bdatRefusal;
    /** A BDAT chunk is being read. */
    public boolean inBdatChunk;
    /** Input had been pipelined behind the command being handled (reject_unauth_pipelining). */
    public boolean unexpectedInput;
    /** The client once sent input behind a command that must end a pipelined group. */
    public boolean improperPipelining;
    private int junkCommands;
    public int messagesAccepted;
    private int errors;
    private boolean commandSeen;
    private String lastCommand = "CONNECT";
    /** Per command: {succeeded, given}, in first-use order, for the disconnect line (Postfix style). */
    private final Map<String, int[]> counts = new java.util.LinkedHashMap<>();
    private boolean lastReplyPositive;
    private final long instanceBase = System.nanoTime();

    public SmtpSession(SmtpTransport transport, SessionConfig config, SessionServices services, SmtpDialect dialect,
                       String serviceName) {
        this.transport = transport;
        this.config = config;
        this.services = services;
        this.dialect = dialect;
        this.serviceName = serviceName;
        this.registry = dialect.registry();
        this.clientIp = transport.remote().getAddress().getHostAddress();
    }

    /** Logs the connection and greets (after the optional reverse lookup). */
    public CompletionStage<Void> start() {
        InetAddress address = transport.remote().getAddress();
        String known = config.peernameLookup() ? PeerNames.cached(address) : "unknown";
        CompletionStage<String> name = known != null
            ? CompletableFuture.completedFuture(known)
            : offLoop(() -> PeerNames.lookup(address));
        return name.handle((n, e) -> {
            clientName = n == null ? "unknown" : n;
            log().info("connect from {}", client());
            reply(SmtpReply.plain(220, config.banner()));
            return null;
        });
    }

    /** The session's logger: {@code org.mailserver.smtpd}, or {@code org.mailserver.lmtpd} for LMTP. */
    public Logger log() {
        return lmtp() ? LMTPD : SMTPD;
    }

    /** Sends the 220 to STARTTLS and hands the connection to TLS (see {@link SmtpTransport#startTls}). */
    public void startTls(SmtpReply ready) {
        lastReplyPositive = true;
        transport.startTls(ready);
    }

    /** {@code host[ip]} as in Postfix logs. */
    public String client() {
        return clientName + "[" + clientIp + "]";
    }

    /** Handles one decoded input; the next is read when the returned stage completes. */
    public CompletionStage<Void> handle(SmtpInput input) {
        if (state == SessionState.CLOSING) {
            return SmtpCommand.DONE;
        }
        try {
            if (input instanceof SmtpInput.CommandLine c) {
                commandSeen = true;
                return dispatch(c.line());
            } else if (input instanceof SmtpInput.SaslLine s) {
                return org.mailserver.smtp.command.AuthCommand.continueExchange(this, s.line());
            } else if (input instanceof SmtpInput.Content content) {
                return org.mailserver.smtp.command.DataCommand.content(this, content.bytes());
            } else if (input instanceof SmtpInput.ContentEnd) {
                return inBdatChunk
                    ? org.mailserver.smtp.command.BdatCommand.chunkEnd(this)
                    : org.mailserver.smtp.command.DataCommand.end(this);
            } else if (input instanceof SmtpInput.InputError err) {
                return inputError(err.kind());
            }
        } catch (RuntimeException e) {
            return ourFault(e);
        }
        return SmtpCommand.DONE;
    }

    private CompletionStage<Void> dispatch(String line) {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        unexpectedInput = transport.hasPipelinedInput();
        CommandRegistry.Spec spec = registry.find(verb);
        if (spec == null) {
            lastCommand = "UNKNOWN";
            counts.computeIfAbsent("unknown", k -> new int[2])[1]++;
            reply(SmtpReply.of(502, "5.5.2", "Error: command not recognized"));
            return SmtpCommand.DONE;
        }
        lastCommand = verb;
        int[] tally = counts.computeIfAbsent(verb.toLowerCase(Locale.ROOT), k -> new int[2]);
        tally[1]++;
        lastReplyPositive = false;
        if (!spec.states().contains(state)) {
            String text;
            if (state == SessionState.CONNECTED) {
                text = "Error: send " + (lmtp() ? "LHLO" : "HELO/EHLO") + " first";
            } else if (!spec.sequenceError().isEmpty()) {
                text = spec.sequenceError();
            } else if (state == SessionState.MAIL || state == SessionState.RCPT || state == SessionState.BDAT) {
                text = "Error: MAIL transaction in progress";
            } else {
                text = "Error: bad sequence of commands";
            }
            reply(SmtpReply.of(503, "5.5.1", text));
            return SmtpCommand.DONE;
        }
        if (spec.flags().contains(CommandRegistry.Flag.ENDS_GROUP) && unexpectedInput) {
            improperPipelining = true; // RFC 2920 3.1: the client did not wait for this reply
        }
        if (spec.flags().contains(CommandRegistry.Flag.JUNK) && ++junkCommands > config.junkCommandLimit()) {
            countError(); // Postfix smtpd_junk_command_limit: beyond it every junk command is an error
        }
        if (state == SessionState.CLOSING) {
            return SmtpCommand.DONE;
        }
        if (tlsRequired() && tls == null && !spec.beforeTls()) {
            // RFC 3207 section 4: a server that requires TLS answers other commands with 530.
            reply(SmtpReply.of(530, "5.7.0", "Must issue a STARTTLS command first"));
            return SmtpCommand.DONE;
        }
        CompletionStage<Void> stage;
        try {
            stage = spec.command().execute(this, arg).exceptionally(this::failed);
        } catch (SmtpException e) {
            reply(e.reply());
            stage = SmtpCommand.DONE;
        } catch (RuntimeException e) {
            stage = ourFault(e);
        }
        return stage.thenRun(() -> {
            if (lastReplyPositive) {
                tally[0]++;
            }
        });
    }

    /** The continuation of an async command failed: a client refusal or our bug. */
    private Void failed(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof SmtpException e) {
            reply(e.reply());
        } else {
            ourFault(cause);
        }
        return null;
    }

    private CompletionStage<Void> ourFault(Throwable t) {
        if (t instanceof org.mailserver.core.address.AddressTables.TableFailure) {
            // Postfix defers on a map lookup error: the client retries once the table is readable again.
            log().warn("{}: {}: lookup table failure: {}", client(), lastCommand, t.getMessage());
            reply(SmtpReply.of(451, "4.3.0", "Error: Temporary lookup failure"));
            return SmtpCommand.DONE;
        }
        log().error("{}: internal error in {}: {}", client(), lastCommand, t.toString(), t);
        reply(SmtpReply.of(451, "4.3.0", "Error: internal error, try again later"));
        return SmtpCommand.DONE;
    }

    private CompletionStage<Void> inputError(SmtpInput.Kind kind) {
        switch (kind) {
            case LINE_TOO_LONG:
                reply(SmtpReply.of(500, "5.5.2", "Error: line too long"));
                return SmtpCommand.DONE;
            case NUL:
                log().warn("{}: NUL character received after {}", client(), lastCommand);
                close(SmtpReply.of(550, "5.5.2", "Error: NUL character received"));
                return SmtpCommand.DONE;
            default:
                // Postfix smtpd_forbid_bare_newline=reject: refuse and disconnect (SMTP smuggling).
                log().warn("{}: bare <{}> received after {}", client(), kind == SmtpInput.Kind.BARE_LF ? "LF" : "CR", lastCommand);
                close(SmtpReply.of(550, "5.5.2", "Error: bare <" + (kind == SmtpInput.Kind.BARE_LF ? "LF" : "CR") + "> received"));
                return SmtpCommand.DONE;
        }
    }

    public boolean tlsRequired() {
        return config.tlsLevel() == SessionConfig.TlsLevel.ENCRYPT;
    }

    public boolean lmtp() {
        return "LMTP".equals(dialect.protocolName());
    }

    /** Writes a reply; 4xx/5xx count toward smtpd_hard_error_limit, reaching it closes the session. */
    public void reply(SmtpReply reply) {
        if (state == SessionState.CLOSING) {
            return;
        }
        transport.reply(reply);
        lastReplyPositive = reply.positive();
        if (!reply.positive()) {
            countError();
        }
    }

    private void countError() {
        if (++errors >= config.hardErrorLimit() && state != SessionState.CLOSING) {
            log().warn("{}: too many errors after {}", client(), lastCommand);
            close(SmtpReply.of(421, "4.7.0", config.hostname() + " Error: too many errors"));
        }
    }

    /** Writes a reply that must not count as an error (LMTP per-recipient results). */
    public void replyUncounted(SmtpReply reply) {
        if (state != SessionState.CLOSING) {
            transport.reply(reply);
            lastReplyPositive = reply.positive();
        }
    }

    /** Sends a last reply and closes; a message in progress is dropped. */
    public void close(SmtpReply last) {
        if (state == SessionState.CLOSING) {
            return;
        }
        abortMessage();
        state = SessionState.CLOSING;
        lastReplyPositive = last != null && last.positive();
        transport.close(last);
    }

    /** A new, empty transaction; the previous one's message, if any, is aborted. */
    public void resetTransaction() {
        abortMessage();
        tx = new Transaction();
    }

    private void abortMessage() {
        if (sasl != null) {
            sasl.abort();
            sasl = null;
        }
        if (tx.intake != null) {
            tx.intake.abort();
            tx.intake = null;
        }
    }

    /** RFC 3207 section 4.2: after the handshake everything learnt before is forgotten. */
    public void tlsEstablished(SmtpTransport.TlsInfo info) {
        tls = info;
        resetTransaction();
        helo = null;
        esmtp = false;
        authUser = null;
        authMethod = null;
        if (state != SessionState.CLOSING) {
            state = SessionState.CONNECTED;
        }
    }

    /** No complete command or content within the deadline. */
    public void timedOut() {
        log().info("timeout after {} from {}", lastCommand, client());
        close(SmtpReply.of(421, "4.4.2", config.hostname() + " Error: timeout exceeded"));
    }

    /** The connection is gone. */
    public void closed() {
        abortMessage();
        state = SessionState.CLOSING;
        StringBuilder sb = new StringBuilder();
        int total = 0;
        int ok = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] t = e.getValue();
            sb.append(' ').append(e.getKey()).append('=').append(t[0] == t[1] ? Integer.toString(t[1]) : t[0] + "/" + t[1]);
            ok += t[0];
            total += t[1];
        }
        log().info("disconnect from {}{} commands={}", client(), sb, ok == total ? Integer.toString(total) : ok + "/" + total);
    }

    /** How long to wait for the next input: the short deadline until a first command arrived. */
    public java.time.Duration deadline() {
        return commandSeen ? config.timeout() : config.firstCommandDeadline();
    }

    /** Runs blocking work on the bounded pool; the stage completes back on this connection's event loop. */
    public <T> CompletableFuture<T> offLoop(Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        services.blocking().execute(() -> {
            try {
                T value = work.call();
                transport.eventLoop().execute(() -> f.complete(value));
            } catch (Throwable t) {
                transport.eventLoop().execute(() -> f.completeExceptionally(t));
            }
        });
        return f;
    }

    /** Hops a stage that may complete on another thread back onto the event loop. */
    public <T> CompletionStage<T> onLoop(CompletionStage<T> stage) {
        return stage.whenCompleteAsync((v, e) -> { }, transport.eventLoop());
    }

    public AuthContext authContext() {
        return new AuthContext(lmtp() ? "lmtp" : "smtp", transport.remote(), transport.local(), tls != null);
    }

    /** An id shared by the policy requests of one transaction (Postfix's instance attribute). */
    public String instance() {
        return Long.toHexString(instanceBase) + "." + messagesAccepted;
    }

    /** RFC 3848 protocol name for Received: (ESMTP, ESMTPS, ESMTPA, ESMTPSA, LMTP, ...). */
    public String withProtocol() {
        // RFC 6531 3.7.3: a transaction with SMTPUTF8 is recorded as UTF8SMTP (UTF8LMTP for LMTP).
        String base = lmtp() ? (tx.smtpUtf8 ? "UTF8LMTP" : "LMTP") : tx.smtpUtf8 ? "UTF8SMTP" : (esmtp ? "ESMTP" : "SMTP");
        if (!lmtp() && !esmtp) {
            return base;
        }
        return base + (tls != null ? "S" : "") + (authUser != null ? "A" : "");
    }
}
