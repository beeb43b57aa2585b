package org.mailserver.dist;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mailserver.core.config.Settings;
import org.mailserver.core.daemon.ControlClient;
import org.mailserver.core.daemon.Daemon;
import org.mailserver.core.daemon.DaemonCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The daemon's own commands: start-fg, start, stop, status, reload, check. */
final class DaemonCommands {
    private DaemonCommands() {
    }

    /** Shared plumbing: the root context and the output streams. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        RootCommand root;
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        ControlClient control() {
            return ControlClient.forSettings(root.settings());
        }

        Optional<Long> pid() {
            Path pidFile = root.settings().getPath("data_directory").resolve("mailserver.pid");
            try {
                return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    @Command(name = "start-fg", description = "Run the daemon in the foreground (for systemd); logs go to stdout.")
    static final class StartForeground extends Base {
        @Override
        public Integer call() throws Exception {
            Daemon daemon = new Daemon(root.configDirectory());
            daemon.start();
            daemon.installSignalHandlers();
            daemon.awaitStopped();
            return ExitCodes.OK;
        }
    }

    @Command(name = "start", description = "Start the daemon in the background; logs go to $data_directory/mailserver.log.")
    static final class Start extends Base {
        @Override
        public Integer call() throws Exception {
            if (running()) {
                err().println("mailserver: already running");
                return ExitCodes.FAILURE;
            }
            Settings settings = root.settings(); // fail here, in the foreground, on a bad main.cf
            Path data = settings.getPath("data_directory");
            Files.createDirectories(data);
            Path log = data.resolve("mailserver.log");
            List<String> command = new ArrayList<>();
            SETSID.ifPresent(command::add);
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Main.class.getName());
            command.add("-c");
            command.add(root.configDirectory().toString());
            command.add("start-fg");
            Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    err().println("mailserver: failed to start (exit " + process.exitValue() + "); see " + log);
                    return ExitCodes.FAILURE;
                }
                if (running()) {
                    out().println("mailserver started, pid " + process.pid() + ", log " + log);
                    return ExitCodes.OK;
                }
                Thread.sleep(200);
            }
            err().println("mailserver: started as pid " + process.pid() + " but not answering yet; see " + log);
            return ExitCodes.FAILURE;
        }

        /**
         * util-linux setsid(1), which every Debian has: the daemon leaves the caller's session as Postfix's and
         * Dovecot's masters do, so closing the admin's terminal (SIGHUP to its session) does not reach it, and
         * the kernel schedules it as its own group (sched_autogroup) rather than as one more process of the
         * shell that started it, beside whatever else that shell runs. It calls setsid() and executes the
         * command in place (the child of ProcessBuilder leads no process group), so the pid is the daemon's.
         */
        private static final Optional<String> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(f -> Files.isExecutable(Path.of(f))).findFirst();

        private boolean running() {
            try {
                return control().send(List.of("status")).ok();
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Command(name = "stop", description = "Stop gracefully: stop accepting, let sessions finish, exit.")
    static final class Stop extends Base {
        @Override
        public Integer call() throws Exception {
            Optional<Long> pid = pid();
            ControlClient.Reply reply;
            try {
                reply = control().send(List.of("stop"));
            } catch (ControlClient.NotRunningException e) {
                err().println("mailserver: not running");
                return ExitCodes.FAILURE;
            }
            if (!reply.ok()) {
                err().println("mailserver: " + reply.body());
                return ExitCodes.FAILURE;
            }
            Duration wait = root.settings().getDuration("daemon_shutdown_timeout").plusSeconds(15);
            Optional<ProcessHandle> process = pid.filter(p -> p != ProcessHandle.current().pid()).flatMap(ProcessHandle::of);
            Path socket = control().socket();
            long deadline = System.nanoTime() + wait.toNanos();
            // Done when the process is gone; without a pid (or in-process, in tests), when the socket is.
            while (process.map(ProcessHandle::isAlive).orElseGet(() -> Files.exists(socket))) {
                if (System.nanoTime() > deadline) {
                    err().println("mailserver: still running after " + wait.toSeconds() + "s");
                    return ExitCodes.FAILURE;
                }
                Thread.sleep(100);
            }
            out().println("mailserver stopped");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = "Show whether the daemon runs, its listeners and connections (exit 3 when not running).")
    static final class Status extends Base {
        @Override
        public Integer call() throws Exception {
            try {
                ControlClient.Reply reply = control().send(List.of("status"));
                if (!reply.ok()) {
                    err().println("mailserver: " + reply.body());
                    return ExitCodes.FAILURE;
                }
                out().println("mailserver is running");
                out().print(reply.body());
                out().flush();
                return ExitCodes.OK;
            } catch (ControlClient.NotRunningException e) {
                out().println("mailserver is not running");
                return ExitCodes.NOT_RUNNING;
            }
        }
    }

    @Command(name = "reload", description = "Re-read main.cf, master.cf, tables, users and certificates; a bad config is refused.")
    static final class Reload extends Base {
        @Override
        public Integer call() throws Exception {
            ControlClient.Reply reply;
            try {
                reply = control().send(List.of("reload"));
            } catch (ControlClient.NotRunningException e) {
                err().println("mailserver: not running");
                return ExitCodes.FAILURE;
            }
            if (!reply.ok()) {
                err().println("mailserver: reload refused, the running configuration is kept: " + reply.body());
                return ExitCodes.FAILURE;
            }
            out().println("mailserver: configuration reloaded");
            return ExitCodes.OK;
        }
    }

    @Command(name = "check", description = "Check configuration, directories, permissions and certificates without starting.")
    static final class Check extends Base {
        @Override
        public Integer call() {
            boolean errors = false;
            for (DaemonCheck.Finding finding : DaemonCheck.run(root.configDirectory())) {
                (finding.level() == DaemonCheck.Level.OK ? out() : err()).println(finding);
                errors |= finding.level() == DaemonCheck.Level.ERROR;
            }
            return errors ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }
}
