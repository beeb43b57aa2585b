package org.mailserver.core.cli;

import java.nio.file.Path;
import org.mailserver.core.config.Settings;

/** What every admin command gets from the root {@code mailserver -c DIR} command. */
public interface CliContext {

    /** The configuration directory ({@code -c DIR}, default {@code /etc/mailserver}). */
    Path configDirectory();

    /** main.cf loaded and validated; throws {@code ConfigException} with file and line on bad input. */
    Settings settings();
}
