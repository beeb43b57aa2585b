package org.mailserver.core.queue;

import java.io.IOException;

/**
 * The durable queue as seen by the receiving side (SMTP sessions, the pickup of locally generated
 * mail such as bounces). Receiving only enqueues; the queue manager schedules; delivery agents deliver.
 * The queue file is the hand-off.
 */
public interface MessageQueue {

    /**
     * Starts a new queue file in {@code incoming/} for this envelope. The caller streams the message
     * content into it and then commits or aborts. Creating the file does disk I/O: call it from a
     * blocking executor, not an event loop, unless {@link #beginIsNonBlocking()} says otherwise.
     */
    IncomingMessage begin(Envelope envelope) throws IOException;

    /**
     * True when {@link #begin} only assigns the queue ID and does no I/O (the file is created by the first
     * {@link IncomingMessage#write} that fills a buffer, or by {@link IncomingMessage#commit}), so that a
     * session may call it on its event loop and answer DATA's 354 without a thread hop. Writes and commit
     * stay blocking.
     */
    default boolean beginIsNonBlocking() {
        return false;
    }
}
