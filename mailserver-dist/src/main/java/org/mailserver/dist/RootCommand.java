package org.mailserver.dist;

import java.nio.file.Path;
import org.mailserver.core.cli.CliContext;
import org.mailserver.core.config.Settings;
import org.mailserver.core.config.MainCf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailserver [-c DIR] COMMAND}: the root of the command line and the {@link CliContext} that
 * sub-commands find through {@code spec.root().userObject()}. Loads main.cf lazily, once.
 */
@Command(name = "mailserver", mixinStandardHelpOptions = true, version = "mailserver 0.1.0",
    description = "An all-in-one mail server: SMTP, submission, LMTP, IMAP, delivery, Maildir.",
    subcommandsRepeatable = false)
public final class RootCommand implements CliContext, Runnable {

    @Option(names = {"-c", "--config"}, paramLabel = "DIR", defaultValue = "/etc/mailserver",
        description = "Configuration directory with main.cf and master.cf (default: ${DEFAULT-VALUE}).")
    Path configDirectory;

    private Settings settings;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Path configDirectory() {
        return configDirectory.toAbsolutePath();
    }

    @Override
    public synchronized Settings settings() {
        if (settings == null) {
            settings = MainCf.load(configDirectory());
        }
        return settings;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
