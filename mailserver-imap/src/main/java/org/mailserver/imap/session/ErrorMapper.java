package org.mailserver.imap.session;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.fetch.UnknownCteException;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into a tagged reply (RFC 5530 response codes): the client's fault or a
 * storage refusal becomes {@code NO [CODE]}, bad syntax {@code BAD}, anything else is our bug: {@code NO
 * [SERVERBUG]} to the client and a stack trace in the log. Never lets an exception text of a bug reach the peer.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    /** The text after the tag: {@code NO [CODE] text} or {@code BAD text}. */
    public static String reply(Throwable failure, String user) {
        Throwable t = unwrap(failure);
        if (t instanceof ImapException e) {
            return (e.isBad() ? "BAD " : "NO ") + (e.code() == null ? "" : "[" + e.code() + "] ") + e.getMessage();
        }
        if (t instanceof SyntaxException e) {
            return "BAD Error in IMAP command: " + e.getMessage();
        }
        if (t instanceof StorageException e) {
            return "NO [" + code(e.error()) + "] " + e.getMessage();
        }
        if (t instanceof UnknownCteException e) {
            return "NO [UNKNOWN-CTE] " + e.getMessage();
        }
        LOG.error("imap({}): internal error", user, t);
        return "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.";
    }

    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** RFC 5530 response code for a storage error. */
    public static String code(StorageError error) {
        return switch (error) {
            case TEMPORARY -> "UNAVAILABLE";
            case NOT_POSSIBLE, BAD_PARAMS -> "CANNOT";
            case PERMISSION -> "NOPERM";
            case OVER_QUOTA -> "OVERQUOTA";
            case NOT_FOUND -> "NONEXISTENT";
            case EXISTS -> "ALREADYEXISTS";
            case EXPUNGED -> "EXPUNGEISSUED";
            case IN_USE -> "INUSE";
        };
    }
}
