package org.mailserver.core.queue.admin;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A minimal client of the daemon's control socket ({@code data_directory/control}): one request line of
 * tab-separated words, a reply whose first line is {@code ok} or {@code error: reason}, read to the end.
 * Returns empty when no daemon answers (no socket, connection refused), so the caller can fall back to
 * working on the files. TODO(daemon): use the daemon helper's shared client once it is in main.
 */
public final class ControlClient {
    private ControlClient() {
    }

    /** The reply body after the {@code ok} line; empty when the daemon is not running. */
    public static Optional<String> call(Path socket, List<String> words) throws IOException {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return Optional.empty();
        }
        try (ch) {
            ByteBuffer req = ByteBuffer.wrap((String.join("\t", words) + "\n").getBytes(StandardCharsets.UTF_8));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            String reply = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            int nl = reply.indexOf('\n');
            String first = nl < 0 ? reply : reply.substring(0, nl);
            String body = nl < 0 ? "" : reply.substring(nl + 1);
            if (first.startsWith("error:")) {
                throw new IllegalArgumentException(first.substring(6).trim());
            }
            return Optional.of(body);
        }
    }
}
