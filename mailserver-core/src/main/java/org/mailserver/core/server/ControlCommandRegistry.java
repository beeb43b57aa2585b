package org.mailserver.core.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commands that admin tools send to the running daemon over its unix-domain control socket
 * ({@code data_directory/control}, mode 0600). The daemon registers this in {@link Services} before
 * modules start; modules add their commands (the queue adds {@code queue}, ...). A request is one line
 * of tab-separated words; the reply is text whose first line is {@code ok} or {@code error: reason}.
 */
public final class ControlCommandRegistry {

    /** One control command, named by the request's first word. Runs on a blocking executor. */
    public interface ControlCommand {
        /** Returns the reply body; throw {@link IllegalArgumentException} for a bad request. */
        String handle(List<String> args) throws Exception;
    }

    private final Map<String, ControlCommand> commands = new ConcurrentHashMap<>();

    public void register(String name, ControlCommand command) {
        commands.put(name, command);
    }

    public ControlCommand find(String name) {
        return commands.get(name);
    }

    public java.util.Set<String> names() {
        return java.util.Set.copyOf(commands.keySet());
    }
}
