package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.queue.admin.ControlClient;
import org.mailserver.core.queue.admin.QueueRequest;

/** The queue tools' control-socket client against a minimal server speaking the documented protocol. */
@Timeout(20)
class ControlClientTest {
    @TempDir
    Path dir;

    @Test
    void sendsOneTabSeparatedLineAndReturnsTheBodyAfterOk() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir.resolve("q"));
        String id = QueueFileTest.commit(q, QueueFileTest.envelope("s@example.org", "r@example.net"), "Subject: x\r\n\r\nx\r\n");
        Path socket = dir.resolve("control");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (SocketChannel c = server.accept()) {
                        String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8)).readLine();
                        List<String> words = Arrays.asList(line.split("\t"));
                        String reply;
                        try {
                            reply = "ok\n" + QueueRequest.run(new OfflineQueueAdmin(q), words.subList(1, words.size()));
                        } catch (IllegalArgumentException e) {
                            reply = "error: " + e.getMessage() + "\n";
                        }
                        c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.start();
            Optional<String> listing = ControlClient.call(socket, List.of("queue", "list"));
            assertTrue(listing.orElseThrow().contains(id), listing.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ControlClient.call(socket, List.of("queue", "nonsense")));
            assertTrue(e.getMessage().contains("unknown queue command"));
            t.join(5000);
        }
        assertEquals(Optional.empty(), ControlClient.call(dir.resolve("nothing-here"), List.of("queue", "list")),
            "no daemon: the tools fall back to the files");
    }
}
