package org.mailserver.core.cli;

import java.util.List;

/**
 * Admin sub-commands contributed by a module ({@code conf}, {@code pw}, {@code auth}, {@code user},
 * {@code queue}...), discovered through {@code META-INF/services/org.mailserver.core.cli.CommandProvider}
 * and added to the {@code mailserver} command line. Each returned object is a picocli
 * {@code @Command}-annotated instance; it finds the {@code -c DIR} option through
 * {@code spec.root().userObject()}, which implements {@link CliContext}.
 */
public interface CommandProvider {
    List<Object> commands();
}
