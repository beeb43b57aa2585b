package org.mailserver.core.queue;

/** A queue file that cannot be parsed; the queue moves it to {@code corrupt/} and logs the reason. */
public class CorruptQueueFileException extends Exception {
    public CorruptQueueFileException(String message) {
        super(message);
    }
}
