package org.mailserver.core.server;

/**
 * Fired down every open connection's pipeline when the daemon stops. A protocol session should finish
 * the command or transaction in progress, then say goodbye ({@code 421 4.3.2}, {@code * BYE}) and
 * close; connections still open after {@code daemon_shutdown_timeout} are closed by the framework.
 */
public final class ShutdownEvent {
    public static final ShutdownEvent INSTANCE = new ShutdownEvent();

    private ShutdownEvent() {
    }

    @Override
    public String toString() {
        return "ShutdownEvent";
    }
}
