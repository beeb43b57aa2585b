package org.mailserver.core.queue;

/** The queue directories under {@code queue_directory}, as in Postfix. */
public enum QueueState {
    /** Being received; never acknowledged; removed on start. */
    INCOMING("incoming"),
    /** Committed and owned by the queue manager: waiting for or in delivery. */
    ACTIVE("active"),
    /** At least one temporary failure; retried after its backoff. */
    DEFERRED("deferred"),
    /** Put aside by the administrator ({@code queue hold}); never scheduled until released. */
    HOLD("hold"),
    /** Unreadable files, kept for inspection; never scheduled. */
    CORRUPT("corrupt");

    private final String directory;

    QueueState(String directory) {
        this.directory = directory;
    }

    public String directory() {
        return directory;
    }
}
