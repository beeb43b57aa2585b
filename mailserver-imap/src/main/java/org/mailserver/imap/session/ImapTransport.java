package org.mailserver.imap.session;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * What an IMAP session needs from its connection, so that protocol code does not know Netty. The only
 * implementation is {@code org.mailserver.imap.netty.NettyImapTransport}; tests may provide their own.
 * Every method is called on the session's thread ({@link #eventLoop()}).
 */
public interface ImapTransport {

    /** Queues bytes for sending (not flushed). */
    void write(byte[] bytes);

    void flush();

    /** Flushes and closes the connection. */
    void close();

    /** Sends the already-written replies, then starts TLS; {@code onStarted} runs once the TLS handler is in place. */
    void startTls(Runnable onStarted);

    /** After the already-written replies, compresses both directions with raw DEFLATE (RFC 4978). */
    void startCompression();

    boolean secured();

    /** A short description of the TLS session for the log ({@code TLS} or {@code TLS: TLSv1.3 ...}); empty without TLS. */
    String tlsDescription();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /** The session's thread: changes from other threads hop here. */
    Executor eventLoop();

    /** True when called on {@link #eventLoop()}'s thread (a command's result may then be answered at once). */
    default boolean inEventLoop() {
        return false;
    }

    /** Runs the task on the event loop after the delay; cancel through the returned future. */
    Future<?> schedule(Runnable task, long delayMillis);

    /** Stops reading from the client (back-pressure while commands queue up) or resumes. */
    void setReading(boolean reading);

    /** Client bytes read and bytes written so far (for the disconnect log line). */
    long bytesIn();

    long bytesOut();

    /**
     * Runs {@code task} on the event loop once the connection's outbound buffer has drained below its high
     * water mark (at once when it already has): large responses wait for a slow or non-reading client instead of
     * piling up in memory.
     */
    void whenWritable(Runnable task);

    /** Tells the decoder the user logged in (lifts the literal limit to APPENDLIMIT for APPEND). */
    void setAuthenticated(boolean authenticated);
}
