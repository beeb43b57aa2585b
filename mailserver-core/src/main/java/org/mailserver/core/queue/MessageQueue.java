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
     * blocking executor, not an event loop.
     */
    IncomingMessage begin(Envelope envelope) throws IOException;
}
