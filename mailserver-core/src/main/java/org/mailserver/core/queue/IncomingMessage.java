package org.mailserver.core.queue;

import java.io.IOException;

/**
 * A queue file being written. {@link #commit()} returns only after the file is forced to disk under a
 * durable name (a spare file made ahead, or its own file with its directory forced) and has been
 * atomically moved to the active queue: only then may a receiving session answer
 * {@code 250 2.0.0 Ok: queued as ID}. Abort removes the partial file.
 */
public interface IncomingMessage {

    /** The Postfix-style queue id assigned to this message (known before commit, for logging). */
    String queueId();

    /** Appends message bytes (CRLF line endings, dot-unstuffed). */
    void write(byte[] bytes, int offset, int length) throws IOException;

    /** Content bytes written so far. */
    long size();

    /** Makes the message durable and hands it to the queue manager. Blocking. */
    String commit() throws IOException;

    /** Discards the partial message; safe to call more than once and after a failed commit. */
    void abort();
}
