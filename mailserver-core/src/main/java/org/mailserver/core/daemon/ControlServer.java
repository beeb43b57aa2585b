package org.mailserver.core.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.ControlCommandRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's control socket, {@code data_directory/control}: a unix-domain socket with mode 0600
 * (inside a data_directory of mode 0700), so only the daemon's user (and root) can talk to it.
 *
 * <p>Protocol: the client sends one line of tab-separated words (at most 64 KiB) and half-closes;
 * the daemon runs the {@link ControlCommandRegistry} command named by the first word on the blocking
 * executor and answers {@code ok\n<body>} or {@code error: <reason>\n}, then closes. A failing command
 * never takes the daemon down: exceptions become error replies.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final ControlCommandRegistry registry;
    private final Executor executor;
    private final Thread acceptor;

    private ControlServer(Path path, ServerSocketChannel server, ControlCommandRegistry registry, Executor executor) {
        this.path = path;
        this.server = server;
        this.registry = registry;
        this.executor = executor;
        this.acceptor = new Thread(this::acceptLoop, "control-socket");
        this.acceptor.setDaemon(true);
    }

    public static Path socketPath(Settings settings) {
        return settings.getPath("data_directory").resolve("control");
    }

    /** Binds the socket (replacing a stale one) and starts accepting. */
    public static ControlServer start(Path path, ControlCommandRegistry registry, Executor executor) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            log.warn("cannot restrict permissions of {}: not a POSIX file system", path);
        }
        ControlServer control = new ControlServer(path, server, registry, executor);
        control.acceptor.start();
        return control;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                try {
                    executor.execute(() -> serve(client));
                } catch (RejectedExecutionException e) {
                    reply(client, "error: daemon busy\n");
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("control socket: {}", e.toString());
            }
        }
    }

    private void serve(SocketChannel client) {
        String response;
        try {
            List<String> words = readRequest(client);
            response = dispatch(words);
        } catch (IOException e) {
            response = "error: " + e.getMessage() + "\n";
        }
        reply(client, response);
    }

    String dispatch(List<String> words) {
        if (words.isEmpty() || words.get(0).isEmpty()) {
            return "error: empty request\n";
        }
        ControlCommandRegistry.ControlCommand command = registry.find(words.get(0));
        if (command == null) {
            return "error: unknown command \"" + words.get(0) + "\" (known: " + String.join(", ", registry.names()) + ")\n";
        }
        try {
            String body = command.handle(words.subList(1, words.size()));
            body = body == null ? "" : body;
            return "ok\n" + body + (body.isEmpty() || body.endsWith("\n") ? "" : "\n");
        } catch (IllegalArgumentException | org.mailserver.core.config.ConfigException e) {
            return "error: " + e.getMessage() + "\n"; // the admin's mistake: no stack trace
        } catch (Exception e) {
            log.warn("control command {} failed", words.get(0), e);
            return "error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "\n";
        }
    }

    private static List<String> readRequest(SocketChannel client) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (client.read(buffer) >= 0) {
            buffer.flip();
            for (int i = 0; i < buffer.limit(); i++) {
                byte b = buffer.get(i);
                if (b == '\n') {
                    return split(in);
                }
                in.write(b);
            }
            buffer.clear();
            if (in.size() > MAX_REQUEST) {
                throw new IOException("request too long");
            }
        }
        return split(in);
    }

    private static List<String> split(ByteArrayOutputStream in) {
        String line = in.toString(StandardCharsets.UTF_8);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        return Arrays.asList(line.split("\t", -1));
    }

    private static void reply(SocketChannel client, String text) {
        try (client) {
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            log.debug("control client went away: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("closing control socket: {}", e.toString());
        }
    }
}
