package org.mailserver.core.config;

import java.util.List;
import org.mailserver.core.cli.CommandProvider;

/** Contributes {@link ConfCommand} to the {@code mailserver} command line. */
public final class ConfCommandProvider implements CommandProvider {
    @Override
    public List<Object> commands() {
        return List.of(new ConfCommand());
    }
}
