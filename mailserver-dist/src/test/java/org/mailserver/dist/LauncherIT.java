package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher, as an admin runs it: {@code target/mailserver/bin/mailserver -c DIR} start,
 * status, reload, stop, on a configuration written by hand. Runs in {@code mvn verify} after packaging.
 */
@Timeout(120)
class LauncherIT {
    @TempDir
    Path dir;

    private record Run(int code, String output) {
    }

    private static Path launcher() {
        return Path.of("target/mailserver/bin/mailserver").toAbsolutePath();
    }

    private Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher().toString(), "-c", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MAILSERVER_OPTS", "-Xmx64m");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "launcher did not finish: " + output);
        return new Run(p.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void startStatusReloadStopThroughTheLauncher() throws Exception {
        assumeTrue(Files.isExecutable(launcher()), "package phase has not run");
        int port = freePort();
        Files.writeString(dir.resolve("main.cf"), "myhostname = mail.example.test\ndata_directory = data\nqueue_directory = data/queue\n"
            + "daemon_shutdown_timeout = 2s\n");
        Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:" + port + "\n");
        try {
            Run start = run("start");
            assertEquals(0, start.code(), start.output());
            assertTrue(start.output().contains("mailserver started, pid"), start.output());
            Run status = run("status");
            assertEquals(0, status.code(), status.output());
            assertTrue(status.output().contains("listener: smtp smtp 127.0.0.1:" + port), status.output());
            assertEquals(0, run("reload").code());
            Run conf = run("conf", "-n");
            assertTrue(conf.output().contains("myhostname = mail.example.test"), conf.output());
        } finally {
            Run stop = run("stop");
            assertEquals(0, stop.code(), stop.output());
        }
        assertEquals(3, run("status").code());
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port is free after stop");
        }
    }
}
