package org.mailserver.dist;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import org.mailserver.core.cli.CommandProvider;
import org.mailserver.core.config.ConfigException;
import picocli.CommandLine;

/**
 * Entry point of {@code bin/mailserver}: builds the picocli command line from the root command, the
 * daemon commands and every {@link CommandProvider} on the class path, and maps failures to exit codes:
 * 0 success, 1 failure (configuration errors print one line, no stack trace), 2 usage error,
 * 3 daemon not running ({@code status}, as LSB init scripts expect).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit code. Used by tests without exiting the JVM. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RootCommand());
        cli.addSubcommand(new DaemonCommands.StartForeground());
        cli.addSubcommand(new DaemonCommands.Start());
        cli.addSubcommand(new DaemonCommands.Stop());
        cli.addSubcommand(new DaemonCommands.Status());
        cli.addSubcommand(new DaemonCommands.Reload());
        cli.addSubcommand(new DaemonCommands.Check());
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            for (Object command : provider.commands()) {
                cli.addSubcommand(command);
            }
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ConfigException || e instanceof IOException || e instanceof IllegalArgumentException) {
                err.println("mailserver: " + e.getMessage());
            } else {
                err.println("mailserver: internal error: " + e);
                e.printStackTrace(err);
            }
            return ExitCodes.FAILURE;
        });
        return cli;
    }
}
