package org.mailserver.smtp.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailserver.smtp.session.SmtpException;
import org.mailserver.smtp.session.SmtpSession;

/**
 * One SMTP command. Runs on the event loop after the dispatcher checked the registry flags (state,
 * TLS); it replies through the session. Work that blocks goes through {@link SmtpSession#offLoop}; the
 * returned stage completes when the command is finished, and no further input is read until then.
 */
public interface SmtpCommand {

    CompletionStage<Void> execute(SmtpSession session, String argument) throws SmtpException;

    /** A finished stage for commands that completed synchronously. */
    CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
}
