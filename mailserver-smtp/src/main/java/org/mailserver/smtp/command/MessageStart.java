package org.mailserver.smtp.command;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailserver.core.queue.Envelope;
import org.mailserver.smtp.codec.SmtpReply;
import org.mailserver.smtp.intake.ContentSink;
import org.mailserver.smtp.intake.HeaderInfo;
import org.mailserver.smtp.intake.MessageIntake;
import org.mailserver.smtp.intake.ReceivedHeader;
import org.mailserver.smtp.session.RestrictionRunner;
import org.mailserver.smtp.session.SessionState;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * What DATA and the first BDAT share: smtpd_data_restrictions, opening the sink (the queue file) off the
 * event loop, and the intake that will prepend Received: (and Message-ID:/Date: for authenticated
 * submissions). Then the end of the message: replies only once the sink has committed.
 */
final class MessageStart {

    private MessageStart() {
    }

    /** Completes with null when the message may start, or with the refusal to send. */
    static CompletionStage<SmtpReply> open(SmtpSession s, String protocolState) {
        return RestrictionRunner.check(s, protocolState).thenCompose(v -> {
            if (v.refuses()) {
                return CompletableFuture.completedFuture(v.reply());
            }
            Envelope envelope = new Envelope(s.tx.sender, List.copyOf(s.tx.recipients), s.tx.envId, s.tx.ret, s.tx.body,
                s.tx.smtpUtf8, s.client(), s.helo, s.authUser, Instant.now());
            ContentSink sink = s.dialect.newSink(s);
            CompletableFuture<String> id = sink.opensWithoutIo() ? openHere(sink, envelope) : s.offLoop(() -> sink.open(envelope));
            return id.handle((queueId, error) -> {
                if (error != null) {
                    sink.abort();
                    s.log().error("{}: cannot open queue file: {}",
                        s.client(), error.toString(), error);
                    return SmtpReply.of(451, "4.3.0", "Error: queue file write error");
                }
                logClient(s, queueId);
                s.tx.intake = new MessageIntake(sink, CompletableFuture.completedFuture(null), s.services.blocking(),
                    new MessageIntake.Limits(s.config.messageSizeLimit() > 0 ? s.config.messageSizeLimit() : Long.MAX_VALUE,
                        s.config.headerSizeLimit(), s.config.headerCountLimit(), s.config.hopcountLimit(),
                        "BDAT".equals(protocolState) && s.config.newlines() == org.mailserver.smtp.codec.NewlinePolicy.REJECT),
                    info -> prefix(s, queueId, info));
                s.tx.queueId = queueId;
                return null;
            });
        });
    }

    /** Opens a sink that does no I/O on the calling (event loop) thread: 354 goes out without a hop. */
    private static CompletableFuture<String> openHere(ContentSink sink, Envelope envelope) {
        try {
            return CompletableFuture.completedFuture(sink.open(envelope));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void logClient(SmtpSession s, String queueId) {
        if (s.authUser != null) {
            s.log().info("{}: client={}, sasl_method={}, sasl_username={}",
                queueId, s.client(), s.authMethod, s.authUser);
        } else {
            s.log().info("{}: client={}", queueId, s.client());
        }
    }

    private static String prefix(SmtpSession s, String queueId, HeaderInfo info) {
        String tls = null;
        if (s.tls != null && s.config.tlsReceivedHeader()) {
            tls = s.tls.protocol() + " with cipher " + s.tls.cipher() + " (" + s.tls.bits() + "/" + s.tls.bits() + " bits)";
        }
        ZonedDateTime now = ZonedDateTime.now();
        String forRcpt = s.tx.recipients.size() == 1 ? s.tx.recipients.get(0).address() : null;
        StringBuilder sb = new StringBuilder(ReceivedHeader.build(s.helo, s.clientName, s.clientIp, tls,
            s.config.saslReceivedHeader() ? s.authUser : null, s.config.hostname(), s.withProtocol(), queueId, forRcpt, now));
        if (s.authUser != null && s.config.addMissingHeaders()) {
            if (!info.hasMessageId()) {
                sb.append("Message-ID: <").append(now.toInstant().toEpochMilli()).append('.').append(queueId)
                    .append('@').append(s.config.hostname()).append(">\r\n");
            }
            if (!info.hasDate()) {
                sb.append("Date: ").append(ReceivedHeader.DATE.format(now)).append("\r\n");
            }
        }
        return sb.toString();
    }

    /** The end of DATA or of the LAST chunk: wait for the sink, reply, start afresh. */
    static CompletionStage<Void> finish(SmtpSession s) {
        MessageIntake intake = s.tx.intake;
        if (intake == null) {
            return SmtpCommand.DONE;
        }
        int expected = s.lmtp() ? Math.max(1, s.tx.acceptedRcptCommands) : 1;
        String queueId = s.tx.queueId;
        String from = s.tx.sender;
        int nrcpt = s.tx.recipients.size();
        return s.onLoop(intake.finish()).thenAccept(replies -> {
            s.tx.intake = null; // finished: nothing to abort
            if (replies.get(0).positive()) {
                s.messagesAccepted++;
                if (s.lmtp()) {
                    // Over SMTP the queue logs "from=<...>, size=N, nrcpt=N (queue active)" as Postfix's qmgr
                    // does; logging it here too would make pflogsumm count every message twice.
                    s.log().info("{}: from=<{}>, size={}, nrcpt={}", queueId, from, intake.size(), nrcpt);
                }
            } else {
                s.log().info("{}: reject: {} from {}: {}",
                    queueId, s.state == SessionState.BDAT ? "BDAT" : "DATA", s.client(), replies.get(0).summary());
            }
            s.resetTransaction();
            s.state = SessionState.GREETED;
            for (int i = 0; i < expected; i++) {
                SmtpReply r = i < replies.size() ? replies.get(i) : replies.get(0);
                if (s.lmtp()) {
                    s.replyUncounted(r);
                } else {
                    s.reply(r);
                }
            }
        });
    }

    static SmtpException noValidRecipients() {
        return new SmtpException(554, "5.5.1", "Error: no valid recipients");
    }
}
