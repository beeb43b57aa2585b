package org.mailserver.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    /** Runs {@code start-fg} through the launcher until {@code status} answers; the caller stops it. */
    private Process startForeground() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(launcher().toString(), "-c", dir.toString(), "start-fg")
            .redirectErrorStream(true).redirectOutput(dir.resolve("fg.log").toFile());
        builder.environment().put("MAILSERVER_OPTS", "-Xmx64m");
        Process p = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (run("status").code() != 0) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "start-fg did not come up: " + Files.readString(dir.resolve("fg.log")));
            Thread.sleep(200);
        }
        return p;
    }

    private void stop(Process p) throws Exception {
        assertEquals(0, run("stop").code());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "start-fg did not exit");
    }

    private List<Path> archives() throws IOException {
        Path cds = dir.resolve("data/cds");
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (var files = Files.list(cds)) {
            return files.sorted().toList();
        }
    }

    private static String commandLine(Process p) throws IOException {
        return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
    }

    /**
     * The class-data sharing archive (docs/install.md): the first start-fg records the classes it loads,
     * the next start builds the archive from that list (replacing a torn leftover of an interrupted
     * build), checks it and runs the daemon with it mapped.
     */
    @Test
    void startForegroundRecordsTheClassesThenTheNextStartBuildsAndMapsTheArchive() throws Exception {
        assumeTrue(Files.isExecutable(launcher()), "package phase has not run");
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads the JVM's command line and maps from /proc");
        int port = freePort();
        Files.writeString(dir.resolve("main.cf"), "myhostname = mail.example.test\ndata_directory = data\nqueue_directory = data/queue\n"
            + "daemon_shutdown_timeout = 2s\n");
        Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:" + port + "\n");
        // As install.md has the admin do: the launcher keeps its files in an existing data_directory.
        Files.createDirectories(dir.resolve("data"));

        Process first = startForeground();
        assertTrue(commandLine(first).contains("-XX:DumpLoadedClassList=" + dir.resolve("data/cds")), commandLine(first));
        stop(first);
        List<Path> recorded = archives();
        assertEquals(1, recorded.size(), recorded.toString());
        Path list = recorded.get(0);
        assertTrue(list.getFileName().toString().matches("mailserver-\\d+\\.classlist\\.new"), list.toString());
        assertTrue(Files.readString(list).contains("org/mailserver/dist/Main"), "the daemon's classes are listed");

        // A build interrupted by a kill leaves a torn archive behind: it must never reach the JVM.
        String base = list.toString().replace(".classlist.new", "");
        Path torn = Path.of(base + ".jsa.new");
        Files.write(torn, new byte[100_000]);
        Process second = startForeground();
        try {
            Path archive = Path.of(base + ".jsa");
            assertTrue(Files.isRegularFile(archive), archives().toString());
            assertFalse(Files.exists(torn), "the leftover is replaced by a checked archive");
            assertTrue(commandLine(second).contains("-XX:SharedArchiveFile=" + archive), commandLine(second));
            assertFalse(commandLine(second).contains("DumpLoadedClassList"), commandLine(second));
            assertTrue(Files.readString(Path.of("/proc/" + second.pid() + "/maps")).contains(archive.toString()),
                "the JVM mapped the archive");
        } finally {
            stop(second);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Field 6 of /proc/PID/stat, after the parenthesised command name (which may hold spaces). */
    private static String sessionOf(Path stat) throws IOException {
        String line = Files.readString(stat);
        return line.substring(line.lastIndexOf(')') + 2).split(" ")[3];
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
            java.util.regex.Matcher pid = java.util.regex.Pattern.compile("pid (\\d+)").matcher(start.output());
            assertTrue(pid.find(), start.output());
            Path daemonStat = Path.of("/proc", pid.group(1), "stat");
            if (Files.exists(Path.of("/usr/bin/setsid")) && Files.exists(daemonStat)) {
                // detached like Postfix's and Dovecot's masters: its own session, which it leads
                assertEquals(pid.group(1), sessionOf(daemonStat), "the daemon leads its own session");
                assertNotEquals(sessionOf(Path.of("/proc/self/stat")), pid.group(1));
            }
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
