package org.mailserver.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailserver.dist.e2e.TestMailServer.ALICE;
import static org.mailserver.dist.e2e.TestMailServer.ALICE_PASSWORD;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.dist.Main;

/**
 * What an administrator and a mail client see across modules on a running daemon: an IMAP client in IDLE
 * is told of a message the moment the queue delivers it (SMTP → queue → Maildir → change feed → IMAP), and
 * the {@code mailserver queue} tools list and delete deferred mail through the control socket.
 */
@Timeout(60)
class OperationsEndToEndTest {
    @TempDir
    static Path dir;
    static TestMailServer server;

    @BeforeAll
    static void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once closed: deliveries to down.test are deferred
        }
        server = TestMailServer.configure(dir, Map.of(), "transport_maps = inline:{ down.test=smtp:[127.0.0.1]:" + closed + " }\n"
            + "mynetworks = 127.0.0.0/8\n"
            // Deferred mail stays deferred while the tools look at it (no retry makes it active again).
            + "queue_run_delay = 300s\nminimal_backoff_time = 300s\nmaximal_backoff_time = 600s\n").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anImapClientInIdleSeesAnSmtpDeliveryAtOnce() throws Exception {
        try (SSLSocket socket = (SSLSocket) server.trustingServerCertificate().getSocketFactory()
            .createSocket("127.0.0.1", server.port("imaps"))) {
            SSLParameters p = socket.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(p);
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertTrue(in.readLine().startsWith("* OK"));
            command(in, out, "a LOGIN " + ALICE + " " + ALICE_PASSWORD);
            String select = command(in, out, "b SELECT INBOX");
            int exists = Integer.parseInt(select.replaceAll("(?s).*\\* (\\d+) EXISTS.*", "$1"));
            out.write("c IDLE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(in.readLine().startsWith("+ "), "IDLE continuation");

            long sent = System.nanoTime();
            EndToEndTestSupport.sendOverMx(server, ALICE, "idle-1");
            long queued = System.nanoTime();
            String line = in.readLine();
            long told = System.nanoTime();
            assertEquals("* " + (exists + 1) + " EXISTS", line);
            System.out.printf("IDLE: EXISTS %d ms after the SMTP transaction ended (%d ms after it began)%n",
                (told - queued) / 1_000_000, (told - sent) / 1_000_000);
            // Issue 7 asks for "within a second" (target 100 ms); 2 s here so a loaded 2-core CI box does not flake.
            assertTrue(told - queued < 2_000_000_000L, "EXISTS came " + (told - queued) / 1_000_000 + " ms after the 250");
            out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String done = readUntilTagged(in, "c ");
            assertTrue(done.contains("c OK"), done);
            command(in, out, "d LOGOUT");
        }
    }

    private static String command(BufferedReader in, OutputStream out, String command) throws Exception {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String tag = command.substring(0, command.indexOf(' ') + 1);
        String response = readUntilTagged(in, tag);
        assertTrue(response.contains(tag + "OK"), response);
        return response;
    }

    private static String readUntilTagged(BufferedReader in, String tag) throws Exception {
        StringBuilder all = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            all.append(line).append('\n');
            if (line.startsWith(tag)) {
                break;
            }
        }
        return all.toString();
    }

    /**
     * Runs {@code mailserver -c DIR ARGS...} as the admin would, in this JVM. The queue commands print to
     * System.out rather than to the command line's writer, so that is what is captured (the daemon's own log
     * lines may be mixed in; the assertions look for the tool's lines only).
     */
    private static synchronized String cli(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "-c";
        full[1] = dir.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = Main.run(full, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, "mailserver " + String.join(" ", args) + ": " + err);
        return out + captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theQueueToolsListAndDeleteDeferredMailOfTheRunningDaemon() throws Exception {
        EndToEndTestSupport.sendOverMx(server, "erin@down.test", "deferred-1");
        // mailq's shape: ID, size, arrival time, sender; then the reason in parentheses; then the recipient.
        // While the first attempt runs the message is active ("ID*") without a reason: wait for the deferral.
        java.util.regex.Pattern deferred = java.util.regex.Pattern.compile(
            "(?s).*\\n(\\w+)\\s+\\d+ [^\\n]*carol@remote\\.test\\n\\s*\\(connect to [^\\n]+\\)\\n\\s+erin@down\\.test\\n.*");
        String listing = "";
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!deferred.matcher(listing = cli("queue", "list")).matches()) {
            assertTrue(System.nanoTime() < end, listing);
            Thread.sleep(50);
        }
        String json = cli("queue", "list", "--json");
        // postqueue -j's field names.
        assertTrue(json.contains("\"queue_name\": \"deferred\"") && json.contains("\"sender\": \"carol@remote.test\"")
            && json.contains("\"address\": \"erin@down.test\", \"delay_reason\": \"connect to 127.0.0.1"), json);
        cli("queue", "delete", "ALL");
        TestMailServer.await("an empty queue", Duration.ofSeconds(10), () -> cli("queue", "list").contains("Mail queue is empty"));
    }
}
