package org.mailserver.core.auth.cli;

import java.util.List;
import org.mailserver.core.cli.CommandProvider;

/** Contributes {@code pw}, {@code auth test} and {@code user} to the {@code mailserver} command line. */
public final class AuthCommands implements CommandProvider {
    @Override
    public List<Object> commands() {
        return List.of(new PwCommand(), new AuthCommand(), new UserCommand());
    }
}
