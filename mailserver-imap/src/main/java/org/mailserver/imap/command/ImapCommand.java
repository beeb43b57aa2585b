package org.mailserver.imap.command;

import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.session.ImapSession;

/**
 * One IMAP command. The session's dispatcher has already checked the state, TLS and pipelining rules from
 * the command's {@link CommandSpec}; the command reads its arguments from {@code args} (positioned after the
 * command name), does its work (storage calls through {@link ImapSession#blocking}), writes its untagged
 * responses, and completes with the text of the tagged {@code OK} (e.g. {@code "[READ-WRITE] Select completed"}).
 * Failures (thrown or as an exceptionally completed stage) are answered by the session's error mapping.
 * Runs on the session's event loop; one command of a session at a time.
 */
@FunctionalInterface
public interface ImapCommand {
    CompletionStage<String> execute(ImapSession session, String tag, RequestReader args) throws Exception;
}
