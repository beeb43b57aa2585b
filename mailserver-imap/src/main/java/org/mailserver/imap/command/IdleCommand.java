package org.mailserver.imap.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;

/**
 * IDLE (RFC 2177): answers {@code + idling}, then reports mailbox changes as they arrive (the session flushes
 * them from the change feed at once) until the client sends DONE.
 */
final class IdleCommand implements ImapCommand {

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.end();
        CompletableFuture<String> done = new CompletableFuture<>();
        s.writeLine("+ idling");
        s.setIdling(true);
        s.sendUpdates(true);
        s.flush();
        if (s.selected() != null) {
            BackgroundMailboxWork.whileIdle(s, s.selected()); // the client is done for now: file its new mail
        }
        s.setContinuation(line -> {
            s.setContinuation(null);
            s.setIdling(false);
            if (line.equalsIgnoreCase("DONE")) {
                done.complete("Idle completed.");
            } else {
                done.completeExceptionally(ImapException.bad("Expected DONE."));
            }
        });
        return done;
    }
}
