package org.mailserver.core.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.mailserver.core.config.Settings;

/**
 * Sends one request to the running daemon's control socket ({@code data_directory/control}) and reads
 * the reply: admin commands ({@code status}, {@code reload}, {@code queue ...}) use this. The protocol
 * is described in {@link ControlServer}.
 */
public final class ControlClient {
    private static final int MAX_REPLY = 16 * 1024 * 1024;

    /** A reply: {@code ok} with its body, or an error with its reason. */
    public record Reply(boolean ok, String body) {
    }

    /** Thrown when no daemon answers on the socket (not running, or the socket is stale). */
    public static final class NotRunningException extends IOException {
        public NotRunningException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path socket;

    public ControlClient(Path socket) {
        this.socket = socket;
    }

    /** The client for the daemon configured by these settings. */
    public static ControlClient forSettings(Settings settings) {
        return new ControlClient(ControlServer.socketPath(settings));
    }

    public Path socket() {
        return socket;
    }

    /** Sends the words as one tab-separated line and returns the parsed reply. */
    public Reply send(List<String> words) throws IOException {
        for (String w : words) {
            if (w.indexOf('\t') >= 0 || w.indexOf('\n') >= 0 || w.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("control request words must not contain tabs or line breaks");
            }
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new NotRunningException("mailserver is not running (no control socket at " + socket + ")", e);
        }
        try (channel) {
            channel.write(ByteBuffer.wrap((String.join("\t", words) + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
                if (out.size() > MAX_REPLY) {
                    throw new IOException("control reply too long");
                }
            }
            return parse(out.toString(StandardCharsets.UTF_8));
        }
    }

    static Reply parse(String text) throws IOException {
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        String body = nl < 0 ? "" : text.substring(nl + 1);
        if (first.equals("ok")) {
            return new Reply(true, body);
        }
        if (first.startsWith("error: ")) {
            return new Reply(false, first.substring(7) + (body.isEmpty() ? "" : "\n" + body));
        }
        throw new IOException("malformed control reply: \"" + first + "\"");
    }
}
