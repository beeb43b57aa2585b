package org.mailserver.core.auth.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.mailserver.core.auth.AuthConfig;
import org.mailserver.core.auth.AuthDaemonModule;
import org.mailserver.core.auth.AuthEngine;
import org.mailserver.core.auth.db.PassDb;
import org.mailserver.core.auth.db.PasswdFileEditor;
import org.mailserver.core.auth.db.PasswdFilePassDb;
import org.mailserver.core.cli.CliContext;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import picocli.CommandLine.Model.CommandSpec;

/** Shared plumbing of the auth admin commands: the root's configuration, password prompts, exit codes. */
final class CliSupport {
    /** sysexits.h codes, as doveadm uses them. */
    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_NOUSER = 67;
    static final int EX_SOFTWARE = 70;
    static final int EX_TEMPFAIL = 75;
    static final int EX_NOPERM = 77;
    static final int EX_CONFIG = 78;

    /** Where password prompts read from when there is no console; tests replace it. */
    static volatile InputStream stdin = System.in;

    private CliSupport() {
    }

    static CliContext context(CommandSpec spec) {
        Object root = spec.root().userObject();
        if (root instanceof CliContext c) {
            return c;
        }
        throw new IllegalStateException("the root command does not implement CliContext");
    }

    /** main.cf settings, or the declared defaults when there is no configuration (mailserver pw outside a server). */
    static Settings settingsOrDefaults(CommandSpec spec) {
        try {
            return context(spec).settings();
        } catch (RuntimeException e) {
            return Settings.of(Map.of(), Path.of("."));
        }
    }

    /** An engine over the configured passdb/userdb, without failure delays. */
    static AuthEngine engine(CommandSpec spec) throws IOException {
        Settings s = context(spec).settings();
        return AuthDaemonModule.build(s, AuthConfig.from(s).withoutGuessingProtection(), false);
    }

    /** The passwd-file editor for {@code user}; ConfigException when the passdb is not a passwd-file. */
    static PasswdFileEditor editor(CommandSpec spec, PassDb passDb, String user) {
        if (!(passDb instanceof PasswdFilePassDb p)) {
            throw new ConfigException("passdb: user add/passwd/del need passdb = passwd-file:PATH");
        }
        return new PasswdFileEditor(p.source().pathFor(user));
    }

    /** Reads a password: from the console without echo (twice when {@code confirm}), else one line of stdin. */
    static String readPassword(CommandSpec spec, String prompt, boolean confirm) throws IOException {
        Console console = System.console();
        if (console != null && stdin == System.in) {
            char[] first = console.readPassword("%s", prompt);
            if (first == null) {
                throw new IOException("no password given");
            }
            if (confirm) {
                char[] again = console.readPassword("Retype new password: ");
                if (again == null || !new String(first).equals(new String(again))) {
                    throw new IOException("passwords don't match");
                }
            }
            return new String(first);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
            throw new IOException("no password given on standard input");
        }
        return line;
    }
}
