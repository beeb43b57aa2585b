package org.mailserver.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Postfix (Debian's, a private instance with its own config_directory and queue_directory) relaying
 * into our LMTP listener exactly as it would into Dovecot's: {@code virtual_transport = lmtp:inet:...} for
 * {@code virtual_mailbox_domains = example.test}. A message sent to Postfix's smtpd lands in our Maildir,
 * and Postfix logs it as delivered with our LMTP reply.
 *
 * <p>Needs root (Postfix's master drops privileges to its {@code postfix} user) and {@code /usr/sbin/postfix};
 * skipped otherwise. Postfix logs to a file ({@code maillog_file}), no syslog needed.
 */
@Timeout(90)
class PostfixRelayTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private Path postfixConf;
    private TestMailServer server;

    @AfterEach
    void stop() throws Exception {
        if (postfixConf != null) {
            run(List.of("/usr/sbin/postfix", "-c", postfixConf.toString(), "stop"), 30);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void postfixDeliversIntoOurMaildirThroughLmtpOverTcp() throws Exception {
        assumePostfix();
        server = TestMailServer.configure(dir.resolve("mailserver"), Map.of(), "").start();
        int lmtpPort = server.port("lmtp");
        relayThroughPostfix("lmtp:inet:127.0.0.1:" + lmtpPort, "127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + lmtpPort);
    }

    /**
     * The Dovecot habit: {@code virtual_transport = lmtp:unix:/path}, our LMTP on a unix-domain socket that
     * Postfix's lmtp client (running as the postfix user) connects to.
     */
    @Test
    void postfixDeliversIntoOurMaildirThroughLmtpOverAUnixSocket() throws Exception {
        assumePostfix();
        Path socketDir = Files.createDirectories(dir.resolve("run"));
        Path socket = socketDir.resolve("lmtp");
        TestMailServer configured = TestMailServer.configure(dir.resolve("mailserver"), Map.of(), "");
        // As Dovecot's unix_listener lmtp { mode = 0600, user = postfix }: only Postfix may connect.
        Files.writeString(configured.dir().resolve("master.cf"), "lmtpunix lmtp unix:" + socket
            + " -o listener_unix_mode=0600 -o listener_unix_user=postfix\n", java.nio.file.StandardOpenOption.APPEND);
        server = configured.start();
        assertEquals("postfix", Files.getOwner(socket).getName());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
        relayThroughPostfix("lmtp:unix:" + socket, java.util.regex.Pattern.quote(socket + "]"));
    }

    private void assumePostfix() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/postfix")), "postfix not installed");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a private postfix needs root");
        // Postfix's daemons run as the postfix user and must reach their queue under this directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void relayThroughPostfix(String virtualTransport, String relayPattern) throws Exception {
        int smtpdPort = freePort();
        Path pf = dir.resolve("postfix");
        postfixConf = Files.createDirectories(pf.resolve("conf"));
        Files.createDirectories(pf.resolve("queue"));
        Path data = Files.createDirectories(pf.resolve("data"));
        Path log = pf.resolve("postfix.log");
        run(List.of("chown", "postfix", data.toString()), 10);
        Files.writeString(postfixConf.resolve("main.cf"), String.join("\n",
            "compatibility_level = 3.6",
            "queue_directory = " + pf.resolve("queue"),
            "data_directory = " + data,
            "maillog_file = " + log,
            "maillog_file_prefixes = " + pf,
            "myhostname = relay.postfix.test",
            "mydomain = postfix.test",
            "myorigin = postfix.test",
            "mydestination =",
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "mynetworks = 127.0.0.0/8",
            "alias_maps =",
            "alias_database =",
            "biff = no",
            "smtpd_banner = $myhostname ESMTP",
            // The part an admin replacing Dovecot with us changes: where Postfix hands virtual mail.
            "virtual_mailbox_domains = example.test",
            "virtual_transport = " + virtualTransport,
            ""));
        // Only the services this test uses; chroot off (column 5) so nothing needs copying into the queue.
        Files.writeString(postfixConf.resolve("master.cf"), String.join("\n",
            "127.0.0.1:" + smtpdPort + " inet n - n - - smtpd",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "showq unix n - n - - showq",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "lmtp unix - - n - - lmtp",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
            ""));
        String started = run(List.of("/usr/sbin/postfix", "-c", postfixConf.toString(), "start"), 60);
        awaitGreeting(smtpdPort, log, started);

        try (RawSmtp smtp = new RawSmtp(smtpdPort)) {
            assertTrue(smtp.greeting().startsWith("220 relay.postfix.test"));
            assertTrue(smtp.send("EHLO client.postfix.test").startsWith("250"));
            assertEquals("250 2.1.0 Ok", smtp.send("MAIL FROM:<carol@postfix.test>"));
            assertEquals("250 2.1.5 Ok", smtp.send("RCPT TO:<" + TestMailServer.BOB + ">"));
            assertTrue(smtp.send("DATA").startsWith("354"));
            String queued = smtp.data("From: <carol@postfix.test>\r\nTo: <" + TestMailServer.BOB
                + ">\r\nSubject: via-postfix\r\n\r\nRelayed by Postfix over LMTP.\r\n");
            assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
            smtp.send("QUIT");
        }
        String file = server.awaitInbox(TestMailServer.BOB, "Subject: via-postfix", Duration.ofSeconds(30));
        assertTrue(file.startsWith("Return-Path: <carol@postfix.test>\n"), file);
        assertTrue(file.contains("by relay.postfix.test (Postfix)"), "Postfix's Received line: " + file);
        assertTrue(file.contains("\n\nRelayed by Postfix over LMTP.\n"), file);
        // Postfix's own account: delivered through our LMTP, with our per-recipient reply.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String logged = "";
        while (System.nanoTime() < end && !logged.contains("status=sent")) {
            logged = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Thread.sleep(50);
        }
        assertTrue(logged.matches("(?s).*postfix/lmtp\\[\\d+\\]: \\w+: to=<bob@example.test>, relay=[^,]*" + relayPattern
            + ", .*dsn=2\\.0\\.0, status=sent \\(250 2\\.0\\.0 .*"), logged);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitGreeting(int port, Path log, String startOutput) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (RawSmtp smtp = new RawSmtp(port)) {
                smtp.greeting();
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("postfix did not start: " + startOutput + "\n"
                        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Runs a command to completion; returns its output (stdout and stderr). */
    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish: " + out);
        }
        return out;
    }
}
