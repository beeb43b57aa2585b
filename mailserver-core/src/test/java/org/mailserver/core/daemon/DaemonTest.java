package org.mailserver.core.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.server.ListenerGroup.BoundListener;
import org.mailserver.core.tls.SelfSignedCertificate;

/** The daemon started on a copy of the repository's dev configuration (config/), ports set to 0. */
@Timeout(60)
class DaemonTest {
    @TempDir
    Path dir;
    private Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private Daemon start(Map<String, org.mailserver.core.server.ProtocolHandlerFactory> factories) throws Exception {
        DevConfig.copyTo(dir);
        daemon = new Daemon(dir, factories);
        daemon.start();
        return daemon;
    }

    private BoundListener listener(String name) {
        return daemon.listeners().listeners().stream().filter(l -> l.serviceName().equals(name)).findFirst().orElseThrow();
    }

    private InetSocketAddress address(String name) {
        return (InetSocketAddress) listener(name).addresses().get(0);
    }

    private SSLContext trustingGenerated() throws Exception {
        return TlsClients.trusting(TlsClients.readCertificate(SelfSignedCertificate.certFile(dir.resolve("data"))));
    }

    @Test
    void everyListenerOfTheDevConfigAnswersWithATemporaryRefusal() throws Exception {
        DevConfig.copyWithDemoUser(dir);
        daemon = new Daemon(dir, Map.of());
        daemon.start();
        Set<String> names = daemon.listeners().listeners().stream().map(BoundListener::serviceName).collect(Collectors.toSet());
        assertEquals(Set.of("smtp", "submission", "submissions", "imap", "imaps", "lmtp"), names);
        SSLContext tls = trustingGenerated();
        for (BoundListener l : daemon.listeners().listeners()) {
            InetSocketAddress address = (InetSocketAddress) l.addresses().get(0);
            String expected = l.protocol().equals("imap") ? "* BYE Service not available"
                : "421 4.3.0 mail.example.test Service not available";
            if (l.implicitTls()) {
                try (SSLSocket socket = TlsClients.handshake(tls, address, "TLSv1.3", null);
                     LineClient client = new LineClient(socket)) {
                    assertEquals("TLSv1.3", socket.getSession().getProtocol(), l.serviceName());
                    assertEquals(expected, client.readLine(), l.serviceName());
                }
            } else {
                try (LineClient client = LineClient.connect(address)) {
                    assertEquals(expected, client.readLine(), l.serviceName());
                    assertEquals(null, client.readLine(), l.serviceName() + " closes after the refusal");
                }
            }
        }
        assertEquals(Set.of("submissions", "imaps"), daemon.listeners().listeners().stream()
            .filter(BoundListener::implicitTls).map(BoundListener::serviceName).collect(Collectors.toSet()));
    }

    @Test
    void implicitTlsAcceptsTls12ButRefusesTls11AndTls10() throws Exception {
        start(Map.of());
        InetSocketAddress imaps = address("imaps");
        try (SSLSocket socket = TlsClients.handshake(trustingGenerated(), imaps, "TLSv1.2", null)) {
            assertEquals("TLSv1.2", socket.getSession().getProtocol());
        }
        // A raw ClientHello, so the client's own TLS policy cannot hide what the server accepts.
        assertEquals(0x16, firstByteAfterHello(imaps, 0x0303), "control: a TLS 1.2 hello gets a ServerHello");
        assertNotEquals(0x16, firstByteAfterHello(imaps, 0x0302), "TLS 1.1 hello must not get a ServerHello");
        assertNotEquals(0x16, firstByteAfterHello(imaps, 0x0301), "TLS 1.0 hello must not get a ServerHello");
    }

    /** Sends a minimal ClientHello of the given version; returns the first byte back (0x16 handshake, 0x15 alert) or -1. */
    private static int firstByteAfterHello(InetSocketAddress address, int version) throws IOException {
        byte[] random = new byte[32];
        byte[] suites = {(byte) 0xc0, 0x2b, (byte) 0xc0, 0x2f, (byte) 0xc0, 0x09, (byte) 0xc0, 0x13, 0x00, 0x2f};
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,             // supported_groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,                         // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04}; // signature_algorithms
        var body = new java.io.ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version & 0xff);
        body.write(random);
        body.write(0);                       // no session id
        body.write(0);
        body.write(suites.length);
        body.write(suites);
        body.write(1);
        body.write(0);                       // null compression
        body.write(extensions.length >> 8);
        body.write(extensions.length & 0xff);
        body.write(extensions);
        byte[] hello = body.toByteArray();
        var record = new java.io.ByteArrayOutputStream();
        record.write(0x16);
        record.write(0x03);
        record.write(0x01);
        record.write((hello.length + 4) >> 8);
        record.write((hello.length + 4) & 0xff);
        record.write(0x01);                  // ClientHello
        record.write(0);
        record.write(hello.length >> 8);
        record.write(hello.length & 0xff);
        record.write(hello);
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(record.toByteArray());
            out.flush();
            try {
                return new DataInputStream(socket.getInputStream()).read();
            } catch (java.net.SocketException e) {
                return -1; // reset: refused too
            }
        }
    }

    @Test
    void aGreetingWrittenAtConnectOnImplicitTlsArrivesInsideTls() throws Exception {
        start(Map.of("smtp", new EchoProtocol()));
        try (SSLSocket socket = TlsClients.handshake(trustingGenerated(), address("submissions"), "TLSv1.3", "localhost");
             LineClient client = new LineClient(socket)) {
            assertEquals("220 mail.example.test", client.readLine());
            client.send("NOOP");
            assertEquals("250 ok mail.example.test", client.readLine());
        }
    }

    @Test
    void reloadKeepsAnEstablishedConnectionAndAppliesAChangedParameter() throws Exception {
        start(Map.of("smtp", new EchoProtocol()));
        InetSocketAddress smtp = address("smtp");
        try (LineClient old = LineClient.connect(smtp)) {
            assertEquals("220 mail.example.test", old.readLine());
            DevConfig.append(dir.resolve("main.cf"), "\nmyhostname = mx.example.test\n");
            daemon.reload();
            old.send("NOOP");
            assertEquals("250 ok mx.example.test", old.readLine(), "the established connection is alive");
            try (LineClient fresh = LineClient.connect(address("smtp"))) {
                assertEquals("220 mx.example.test", fresh.readLine(), "new connections get the new setting");
            }
            assertEquals(smtp, address("smtp"), "the listener kept its socket");
            old.send("QUIT");
            assertEquals("221 bye", old.readLine());
        }
    }

    @Test
    void aBrokenConfigurationOnReloadIsRefusedAndTheOldOneKeepsServing() throws Exception {
        start(Map.of("smtp", new EchoProtocol()));
        DevConfig.append(dir.resolve("main.cf"), "\nmyhostname = broken.example.test\nlistener_connection_limit = lots\n");
        ConfigException e = assertThrows(ConfigException.class, daemon::reload);
        assertTrue(e.getMessage().contains("listener_connection_limit"), e.getMessage());
        try (LineClient client = LineClient.connect(address("smtp"))) {
            assertEquals("220 mail.example.test", client.readLine());
        }
        Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:0\nweird nntp 127.0.0.1:0\n");
        assertThrows(ConfigException.class, daemon::reload);
        assertEquals(6, daemon.listeners().listeners().size(), "the old listeners keep serving");
    }

    @Test
    void aSecondDaemonOnTheSameDataDirectoryIsRefused() throws Exception {
        start(Map.of());
        Daemon second = new Daemon(dir, Map.of());
        IOException e = assertThrows(IOException.class, second::start);
        assertTrue(e.getMessage().startsWith("mailserver is already running"), e.getMessage());
        try (LineClient client = LineClient.connect(address("smtp"))) {
            assertEquals("421 4.3.0 mail.example.test Service not available", client.readLine(), "the first one still serves");
        }
        assertTrue(ControlClient.forSettings(daemon.settings()).send(List.of("status")).ok());
    }

    @Test
    void stopIsGracefulAndLeavesNoListenerBound() throws Exception {
        start(Map.of("smtp", new EchoProtocol()));
        List<SocketAddress> bound = daemon.listeners().listeners().stream().flatMap(l -> l.addresses().stream()).toList();
        Path control = dir.resolve("data/control");
        assertTrue(Files.exists(control));
        assertTrue(Files.exists(dir.resolve("data/mailserver.pid")));
        try (LineClient open = LineClient.connect(address("smtp"))) {
            assertEquals("220 mail.example.test", open.readLine());
            daemon.stop();
            assertEquals("421 shutting down", open.readLine(), "an open session is told and closed");
        }
        for (SocketAddress address : bound) {
            assertThrows(ConnectException.class, () -> new Socket().connect(address, 2000), address.toString());
        }
        assertFalse(Files.exists(control), "control socket removed");
        assertFalse(Files.exists(dir.resolve("data/mailserver.pid")), "pid file removed");
    }

    @Test
    void aSessionThatIgnoresTheShutdownIsToldAndClosedAfterTheTimeout() throws Exception {
        DevConfig.copyTo(dir);
        DevConfig.append(dir.resolve("main.cf"), "\ndaemon_shutdown_timeout = 1s\n");
        daemon = new Daemon(dir, Map.of("smtp", new EchoProtocol(false)));
        daemon.start();
        try (LineClient stuck = LineClient.connect(address("smtp"))) {
            assertEquals("220 mail.example.test", stuck.readLine());
            long started = System.nanoTime();
            daemon.stop();
            assertTrue(System.nanoTime() - started >= 900_000_000L, "waited for the shutdown timeout");
            assertEquals("421 4.3.2 mail.example.test Service shutting down", stuck.readLine());
            assertEquals(null, stuck.readLine());
        }
    }

    @Test
    void perClientAndPerListenerConnectionLimitsAreEnforced() throws Exception {
        DevConfig.copyTo(dir);
        Files.writeString(dir.resolve("master.cf"), """
            smtp smtp 127.0.0.1:0 -o smtpd_client_connection_count_limit=2
            submission smtp 127.0.0.1:0
              -o listener_connection_limit=1
            """);
        Map<String, org.mailserver.core.server.ProtocolHandlerFactory> factories = new HashMap<>();
        factories.put("smtp", new EchoProtocol());
        daemon = new Daemon(dir, factories);
        daemon.start();
        try (LineClient a = LineClient.connect(address("smtp")); LineClient b = LineClient.connect(address("smtp"))) {
            assertEquals("220 mail.example.test", a.readLine());
            assertEquals("220 mail.example.test", b.readLine());
            try (LineClient c = LineClient.connect(address("smtp"))) {
                assertEquals("421 4.7.0 mail.example.test Error: too many connections from 127.0.0.1", c.readLine());
            }
            b.send("QUIT");
            assertEquals("221 bye", b.readLine());
            assertEquals(null, b.readLine());
            waitUntil(() -> listener("smtp").openConnections() == 1);
            try (LineClient d = LineClient.connect(address("smtp"))) {
                assertEquals("220 mail.example.test", d.readLine(), "a slot is free again");
            }
        }
        try (LineClient only = LineClient.connect(address("submission"))) {
            assertEquals("220 mail.example.test", only.readLine());
            try (LineClient over = LineClient.connect(address("submission"))) {
                assertEquals("421 4.7.0 mail.example.test Error: too many connections", over.readLine());
            }
        }
    }

    @Test
    void controlSocketAnswersStatusReloadAndUnknownCommands() throws Exception {
        start(Map.of());
        ControlClient client = ControlClient.forSettings(daemon.settings());
        ControlClient.Reply status = client.send(List.of("status"));
        assertTrue(status.ok());
        assertTrue(status.body().contains("listener: imaps imap"), status.body());
        assertTrue(client.send(List.of("reload")).ok());
        ControlClient.Reply unknown = client.send(List.of("frobnicate"));
        assertFalse(unknown.ok());
        assertTrue(unknown.body().startsWith("unknown command \"frobnicate\""), unknown.body());
        assertEquals("0600", posixMode(dir.resolve("data/control")));
        assertEquals("0700", posixMode(dir.resolve("data")));
        assertTrue(client.send(List.of("stop")).ok());
        assertTrue(daemon.awaitStopped(java.time.Duration.ofSeconds(20)));
        assertThrows(ControlClient.NotRunningException.class, () -> client.send(List.of("status")));
    }

    @Test
    void idleConnectionsAreClosedWithA421AndUnixSocketListenersWork() throws Exception {
        DevConfig.copyTo(dir);
        Files.writeString(dir.resolve("master.cf"), """
            smtp smtp 127.0.0.1:0 -o listener_idle_timeout=1s
            lmtp lmtp unix:lmtp.sock
            """);
        daemon = new Daemon(dir, Map.of("smtp", new EchoProtocol()));
        daemon.start();
        try (LineClient idle = LineClient.connect(address("smtp"))) {
            assertEquals("220 mail.example.test", idle.readLine());
            long started = System.nanoTime();
            assertEquals("421 4.4.2 mail.example.test Error: timeout exceeded", idle.readLine());
            assertEquals(null, idle.readLine());
            assertTrue(System.nanoTime() - started > 500_000_000L, "not before the timeout");
        }
        Path socket = dir.resolve("data/lmtp.sock");
        assertEquals(List.of(socket.toString()), listener("lmtp").addresses().stream()
            .map(a -> a.toString().replaceFirst("^[^/]*", "")).toList());
        try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            var buffer = java.nio.ByteBuffer.allocate(200);
            while (channel.read(buffer) >= 0) {
                // the placeholder answers and closes
            }
            assertEquals("421 4.3.0 mail.example.test Service not available\r\n",
                new String(buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        daemon.stop();
        assertFalse(Files.exists(socket), "socket file removed on stop");
    }

    private static String posixMode(Path p) throws IOException {
        int mode = 0;
        for (var perm : Files.getPosixFilePermissions(p)) {
            mode |= 1 << (8 - perm.ordinal());
        }
        return String.format("%04o", mode);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in 5 s");
            Thread.sleep(20);
        }
    }
}
