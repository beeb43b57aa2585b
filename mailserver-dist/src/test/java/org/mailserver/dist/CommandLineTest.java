package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.daemon.Daemon;

/** The {@code mailserver} command line: exit codes, messages, and the daemon commands over the control socket. */
@Timeout(60)
class CommandLineTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private void writeConfig(String extraMain) throws Exception {
        Files.writeString(dir.resolve("main.cf"), "myhostname = mail.example.test\ndata_directory = data\n"
            + "queue_directory = data/queue\n" + extraMain);
        Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:0\nimaps imap 127.0.0.1:0 -o imap_tls_wrappermode=yes\n");
    }

    @Test
    void aConfigurationErrorIsOneLineWithoutAStackTraceAndExitCode1() throws Exception {
        writeConfig("message_size_limit = big\n");
        Result r = run("-c", dir.toString(), "check");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("main.cf:4: message_size_limit"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        Result missing = run("-c", dir.resolve("nowhere").toString(), "status");
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("mailserver: "), missing.err());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("--no-such-option").code());
    }

    @Test
    void checkReportsWhatAStartWouldMeet() throws Exception {
        writeConfig("");
        Result r = run("-c", dir.toString(), "check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ok: configuration in"), r.out());
        assertTrue(r.err().contains("warning: no certificate configured: using a self-signed one for mail.example.test"), r.err());
    }

    @Test
    void statusReloadAndStopTalkToTheRunningDaemon() throws Exception {
        writeConfig("");
        assertEquals(3, run("-c", dir.toString(), "status").code(), "not running yet");
        assertEquals(1, run("-c", dir.toString(), "reload").code());
        Daemon daemon = new Daemon(dir);
        daemon.start();
        try {
            Result status = run("-c", dir.toString(), "status");
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().startsWith("mailserver is running\npid: " + ProcessHandle.current().pid()), status.out());
            assertTrue(status.out().contains("listener: imaps imap"), status.out());
            assertEquals(0, run("-c", dir.toString(), "reload").code());
            Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:0 -o listener_connection_limit=many\n");
            Result refused = run("-c", dir.toString(), "reload");
            assertEquals(1, refused.code());
            assertTrue(refused.err().startsWith("mailserver: reload refused, the running configuration is kept: "), refused.err());
            assertTrue(refused.err().contains("listener_connection_limit"), refused.err());
            Result stop = run("-c", dir.toString(), "stop");
            assertEquals(0, stop.code(), stop.err());
            assertTrue(daemon.awaitStopped(java.time.Duration.ofSeconds(30)));
            assertEquals(3, run("-c", dir.toString(), "status").code());
        } finally {
            daemon.stop();
        }
    }
}
