package org.mailserver.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailserver.core.queue.Envelope;

/**
 * One outbound SMTP (RFC 5321) or LMTP (RFC 2033) connection seen from the client: greeting, EHLO with
 * HELO fallback, STARTTLS per the {@link TlsPolicy} (RFC 3207), AUTH PLAIN/LOGIN (RFC 4954), then mail
 * transactions with PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531) and
 * DSN (RFC 3461) parameters. Knows nothing of sockets: it speaks through {@link SmtpTransport}. Used by one
 * delivery worker at a time; a session may be reused for the next message (connection cache) after RSET.
 */
final class SmtpClientSession implements AutoCloseable {

    /** Per-phase deadlines (Postfix's smtp_*_timeout). */
    record Timeouts(Duration connect, Duration helo, Duration mail, Duration rcpt, Duration dataInit,
                    Duration dataDone, Duration quit) {
    }

    /** A failure of the session set-up that says whether the next host may do better. */
    static final class SetupException extends IOException {
        final String dsn;

        SetupException(String dsn, String message) {
            super(message);
            this.dsn = dsn;
        }
    }

    /** The outcome of one transaction: a reply per recipient, in request order. */
    record TransactionResult(List<SmtpReply> replies, boolean connectionUsable) {
    }

    private final SmtpTransport transport;
    private final String peerName;
    private final boolean lmtp;
    private final Timeouts timeouts;
    private final Set<String> extensions = new HashSet<>();
    private long sizeLimit;
    private TlsOutcome tls;
    private boolean usable = true;

    SmtpClientSession(SmtpTransport transport, String peerName, boolean lmtp, Timeouts timeouts) {
        this.transport = transport;
        this.peerName = peerName;
        this.lmtp = lmtp;
        this.timeouts = timeouts;
    }

    String peer() {
        return transport.peer();
    }

    /** The TLS outcome for the log, or null for a plaintext session. */
    TlsOutcome tls() {
        return tls;
    }

    boolean usable() {
        return usable;
    }

    /**
     * Greeting, EHLO, STARTTLS, second EHLO, AUTH. Throws {@link SetupException} when this host cannot be
     * used (the caller tries the next one), IOException on network failure.
     */
    void open(String heloName, TlsPolicy policy, boolean wrapperMode, String[] credentials, boolean plaintextAuthAllowed)
        throws IOException {
        if (wrapperMode) {
            tls = transport.startTls(peerName, policy);
        }
        SmtpReply greeting = transport.read(timeouts.helo());
        if (!greeting.positive()) {
            // Postfix smtp_skip_5xx_greeting: any refusal in the greeting means "try the next host".
            throw new SetupException(greeting.permanent() ? "5.0.0" : "4.0.0",
                "host " + peer() + " refused to talk to me: " + greeting.text());
        }
        hello(heloName);
        if (tls == null && policy.level() != TlsPolicy.Level.NONE) {
            if (extensions.contains("STARTTLS")) {
                transport.send("STARTTLS");
                SmtpReply r = transport.read(timeouts.helo());
                if (r.positive()) {
                    try {
                        tls = transport.startTls(peerName, policy);
                    } catch (IOException e) {
                        // RFC 3463 4.7.5: cryptographic failure (certificate not verified, handshake refused).
                        throw new SetupException(policy.level().verifies() ? "4.7.5" : "4.7.0",
                            "TLS handshake with host " + peer() + " failed: " + e.getMessage());
                    }
                    // RFC 3207 4.2: forget everything learned before TLS and say EHLO again.
                    extensions.clear();
                    hello(heloName);
                } else if (policy.level().required()) {
                    throw new SetupException("4.7.4", "TLS is required, but host " + peer() + " refused to start TLS: " + r.text());
                }
            } else if (policy.level().required()) {
                throw new SetupException("4.7.4", "TLS is required, but was not offered by host " + peer());
            }
        }
        if (credentials != null) {
            authenticate(credentials, tls != null || plaintextAuthAllowed);
        }
    }

    private void hello(String heloName) throws IOException {
        transport.send((lmtp ? "LHLO " : "EHLO ") + heloName);
        SmtpReply r = transport.read(timeouts.helo());
        if (!r.positive() && !lmtp) {
            // RFC 5321 3.2: fall back to HELO for a server that does not know EHLO.
            transport.send("HELO " + heloName);
            r = transport.read(timeouts.helo());
            if (!r.positive()) {
                throw new SetupException(r.permanent() ? "5.0.0" : "4.0.0", "host " + peer() + " refused HELO: " + r.text());
            }
            return;
        }
        if (!r.positive()) {
            throw new SetupException("4.0.0", "host " + peer() + " refused LHLO: " + r.text());
        }
        for (int i = 1; i < r.lines().size(); i++) {
            String[] words = r.lines().get(i).trim().split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            if (keyword.startsWith("AUTH=")) {
                // Old servers advertise "AUTH=PLAIN LOGIN" (pre-RFC 4954 syntax).
                words[0] = keyword.substring(5);
                keyword = "AUTH";
                extensions.add("AUTH=" + words[0]);
            }
            extensions.add(keyword);
            if (keyword.equals("SIZE") && words.length > 1) {
                try {
                    sizeLimit = Long.parseLong(words[1]);
                } catch (NumberFormatException e) {
                    sizeLimit = 0;
                }
            }
            if (keyword.equals("AUTH")) {
                for (int w = 1; w < words.length; w++) {
                    extensions.add("AUTH=" + words[w].toUpperCase(Locale.ROOT));
                }
            }
        }
    }

    private void authenticate(String[] credentials, boolean plaintextAllowed) throws IOException {
        if (!extensions.contains("AUTH")) {
            throw new SetupException("4.7.0", "SASL authentication is configured, but host " + peer() + " offers no AUTH");
        }
        if (!plaintextAllowed) {
            throw new SetupException("4.7.0", "SASL authentication to " + peer()
                + " needs TLS (smtp_sasl_security_options has noplaintext)");
        }
        String user = credentials[0];
        String pass = credentials[1];
        SmtpReply r;
        if (extensions.contains("AUTH=PLAIN")) {
            String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + pass).getBytes(StandardCharsets.UTF_8));
            transport.send("AUTH PLAIN " + token);
            r = transport.read(timeouts.helo());
        } else if (extensions.contains("AUTH=LOGIN")) {
            transport.send("AUTH LOGIN");
            r = transport.read(timeouts.helo());
            if (r.code() == 334) {
                transport.send(Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
                r = transport.read(timeouts.helo());
            }
            if (r.code() == 334) {
                transport.send(Base64.getEncoder().encodeToString(pass.getBytes(StandardCharsets.UTF_8)));
                r = transport.read(timeouts.helo());
            }
        } else {
            throw new SetupException("4.7.0", "host " + peer() + " offers no SASL mechanism we support (PLAIN, LOGIN)");
        }
        if (r.code() != 235) {
            throw new SetupException("4.7.0", "SASL authentication failed; server " + peer() + " said: " + r.text());
        }
    }

    /** The server's SIZE limit, 0 when unknown or unlimited. */
    long sizeLimit() {
        return sizeLimit;
    }

    boolean supports(String extension) {
        return extensions.contains(extension);
    }

    /**
     * Runs one mail transaction. Returns one reply per recipient: the RCPT refusal, or the final reply
     * (LMTP: that recipient's own reply after DATA). IOException means the outcome is unknown for every
     * recipient without a reply yet.
     */
    TransactionResult send(Envelope envelope, List<Envelope.Recipient> rcpts, InputStream content, long size) throws IOException {
        boolean dsn = supports("DSN");
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(envelope.sender()).append('>');
        if (supports("SIZE")) {
            mail.append(" SIZE=").append(size);
        }
        // RFC 3030 3: BINARYMIME content can only travel in BDAT chunks; the agent has checked support.
        boolean bdat = "BINARYMIME".equalsIgnoreCase(envelope.bodyType());
        if (bdat) {
            mail.append(" BODY=BINARYMIME");
        } else if (supports("8BITMIME") && "8BITMIME".equalsIgnoreCase(envelope.bodyType())) {
            mail.append(" BODY=8BITMIME");
        }
        if (envelope.smtpUtf8() && supports("SMTPUTF8")) {
            mail.append(" SMTPUTF8");
        }
        if (dsn && envelope.ret() != null) {
            mail.append(" RET=").append(envelope.ret());
        }
        if (dsn && envelope.envId() != null) {
            mail.append(" ENVID=").append(envelope.envId());
        }
        List<String> commands = new ArrayList<>();
        commands.add(mail.toString());
        for (Envelope.Recipient r : rcpts) {
            StringBuilder rcpt = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
            if (dsn && r.notifyOn() != null) {
                rcpt.append(" NOTIFY=").append(r.notifyOn());
            }
            if (dsn && r.orcpt() != null) {
                rcpt.append(" ORCPT=").append(r.orcpt());
            }
            commands.add(rcpt.toString());
        }
        if (bdat) {
            return sendChunked(commands, rcpts.size(), content, size);
        }
        commands.add("DATA");
        boolean pipelining = supports("PIPELINING");
        SmtpReply mailReply;
        List<SmtpReply> rcptReplies = new ArrayList<>();
        SmtpReply dataReply;
        usable = false;
        if (pipelining) {
            // RFC 2920 3.1: MAIL, RCPTs and DATA may go in one group; replies come back in order.
            transport.send(commands.toArray(new String[0]));
            mailReply = transport.read(timeouts.mail());
            for (int i = 0; i < rcpts.size(); i++) {
                rcptReplies.add(transport.read(timeouts.rcpt()));
            }
            dataReply = transport.read(timeouts.dataInit());
        } else {
            transport.send(commands.get(0));
            mailReply = transport.read(timeouts.mail());
            if (!mailReply.positive()) {
                return failAll(mailReply, rcpts.size());
            }
            for (int i = 0; i < rcpts.size(); i++) {
                transport.send(commands.get(i + 1));
                rcptReplies.add(transport.read(timeouts.rcpt()));
            }
            if (rcptReplies.stream().noneMatch(SmtpReply::positive)) {
                reset();
                return new TransactionResult(rcptReplies, usable);
            }
            transport.send("DATA");
            dataReply = transport.read(timeouts.dataInit());
        }
        if (!mailReply.positive()) {
            if (dataReply.code() == 354) {
                transport.sendData(InputStream.nullInputStream());
                transport.read(timeouts.dataDone());
            }
            return failAll(mailReply, rcpts.size());
        }
        long accepted = rcptReplies.stream().filter(SmtpReply::positive).count();
        if (accepted == 0) {
            if (dataReply.code() == 354) {
                // RFC 2920 3.1: every RCPT failed but DATA was accepted: end it with an empty body.
                transport.sendData(InputStream.nullInputStream());
                transport.read(timeouts.dataDone());
            }
            reset();
            return new TransactionResult(rcptReplies, usable);
        }
        List<SmtpReply> out = new ArrayList<>(rcptReplies);
        if (dataReply.code() != 354) {
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).positive()) {
                    out.set(i, dataReply);
                }
            }
            reset();
            return new TransactionResult(out, usable);
        }
        transport.sendData(content);
        if (lmtp) {
            // RFC 2033 4.2: one reply per accepted recipient, in order.
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).positive()) {
                    out.set(i, transport.read(timeouts.dataDone()));
                }
            }
        } else {
            SmtpReply done = transport.read(timeouts.dataDone());
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).positive()) {
                    out.set(i, done);
                }
            }
        }
        usable = true;
        return new TransactionResult(out, true);
    }

    /** MAIL and RCPTs (pipelined when offered), then the whole message as one {@code BDAT n LAST} chunk. */
    private TransactionResult sendChunked(List<String> commands, int count, InputStream content, long size) throws IOException {
        usable = false;
        List<SmtpReply> replies = new ArrayList<>();
        SmtpReply mailReply;
        if (supports("PIPELINING")) {
            transport.send(commands.toArray(new String[0]));
            mailReply = transport.read(timeouts.mail());
            for (int i = 0; i < count; i++) {
                replies.add(transport.read(timeouts.rcpt()));
            }
        } else {
            transport.send(commands.get(0));
            mailReply = transport.read(timeouts.mail());
            if (mailReply.positive()) {
                for (int i = 0; i < count; i++) {
                    transport.send(commands.get(i + 1));
                    replies.add(transport.read(timeouts.rcpt()));
                }
            }
        }
        if (!mailReply.positive()) {
            return failAll(mailReply, count);
        }
        if (replies.stream().noneMatch(SmtpReply::positive)) {
            reset();
            return new TransactionResult(replies, usable);
        }
        transport.sendChunk(content, size);
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i).positive()) {
                // LMTP (RFC 2033 4.3 with RFC 3030): one reply per accepted recipient after the last chunk.
                SmtpReply done = transport.read(timeouts.dataDone());
                if (!lmtp) {
                    for (int j = i; j < replies.size(); j++) {
                        if (replies.get(j).positive()) {
                            replies.set(j, done);
                        }
                    }
                    break;
                }
                replies.set(i, done);
            }
        }
        usable = true;
        return new TransactionResult(replies, true);
    }

    private TransactionResult failAll(SmtpReply reply, int count) throws IOException {
        reset();
        List<SmtpReply> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(reply);
        }
        return new TransactionResult(out, usable);
    }

    /** RSET, to reuse the connection (connection cache) or after a failed transaction. */
    boolean reset() {
        try {
            transport.send("RSET");
            usable = transport.read(timeouts.mail()).positive();
        } catch (IOException e) {
            usable = false;
        }
        return usable;
    }

    @Override
    public void close() {
        try {
            if (usable) {
                transport.send("QUIT");
                transport.read(timeouts.quit());
            }
        } catch (IOException e) {
            // the peer may close first
        } finally {
            transport.close();
        }
    }
}
