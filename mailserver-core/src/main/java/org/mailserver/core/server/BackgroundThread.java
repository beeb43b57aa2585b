package org.mailserver.core.server;

/**
 * The one background thread of a daemon module's start-up work (the warm-up, the folder preload): a daemon
 * thread, so that it never holds up a stop, started once and interrupted and joined for a bounded time when the
 * module stops. Thread-safe. It asks for Java's lowest priority, which the JVM ignores on Linux unless run with
 * -XX:ThreadPriorityPolicy=1 (not a default: docs/install.md, "JVM flags"), so the work itself gives way to
 * clients ({@code ClientActivity}) and is bounded in time.
 */
public final class BackgroundThread {
    private volatile Thread thread;

    /** Starts {@code work} in a thread of this name. */
    public void start(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        thread = t;
        t.start();
    }

    /** Interrupts the thread, if started, and waits up to {@code millis} for it to end. */
    public void stop(long millis) {
        Thread t = thread;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
