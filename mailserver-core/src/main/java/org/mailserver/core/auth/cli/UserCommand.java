package org.mailserver.core.auth.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mailserver.core.auth.AuthConfig;
import org.mailserver.core.auth.AuthEngine;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.auth.db.PasswdFileEditor;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailserver user USER} prints the userdb fields (like {@code doveadm user}); {@code user add},
 * {@code user passwd} and {@code user del} edit the passwd-file of the passdb safely ({@link PasswdFileEditor}).
 * The running daemon picks the change up at the next login, no reload needed.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Show a user's userdb fields, or manage passwd-file users.",
    subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Del.class})
public final class UserCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER", arity = "0..1")
    String user;

    @Override
    public Integer call() throws Exception {
        if (user == null) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return CliSupport.EX_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        try (AuthEngine engine = CliSupport.engine(spec)) {
            Optional<UserInfo> info = engine.lookupUser(user);
            if (info.isEmpty()) {
                spec.commandLine().getErr().println("userdb lookup: user " + user + " doesn't exist");
                spec.commandLine().getErr().flush();
                return CliSupport.EX_NOUSER;
            }
            out.println("field\tvalue");
            out.println("user\t" + info.get().user());
            printFields(out, info.get(), "");
            out.flush();
            return CliSupport.EX_OK;
        }
    }

    /** uid, gid, home, mail and the other userdb fields, one per line ({@code name=value} or tab-separated). */
    static void printFields(PrintWriter out, UserInfo info, String indent) {
        String sep = indent.isEmpty() ? "\t" : "=";
        print(out, indent, "uid", info.uid(), sep);
        print(out, indent, "gid", info.gid(), sep);
        print(out, indent, "home", info.home(), sep);
        print(out, indent, "mail", info.mail(), sep);
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(info.fields()).entrySet()) {
            print(out, indent, f.getKey(), f.getValue(), sep);
        }
    }

    private static void print(PrintWriter out, String indent, String name, String value, String sep) {
        if (value != null && !value.isEmpty()) {
            out.println(indent + name + sep + value);
        }
    }

    /** Options shared by add and passwd. */
    abstract static class PasswdFileEdit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Option(names = "-p", paramLabel = "PASSWORD", description = "The password (else prompted, or read from stdin)")
        String password;

        @Option(names = "-s", paramLabel = "SCHEME", description = "Hash scheme (default: auth_generate_scheme)")
        String scheme;

        String hash(AuthConfig config) throws java.io.IOException {
            String pw = password != null ? password : CliSupport.readPassword(spec, "Enter new password: ", true);
            String s = scheme != null ? scheme : config.generateScheme();
            if (!PasswordSchemes.standard().knows(s)) {
                throw new IllegalArgumentException("unknown scheme: " + s);
            }
            return PasswordSchemes.standard().generate(s, pw, config.costs());
        }

        int run(Edit edit) throws Exception {
            try (AuthEngine engine = CliSupport.engine(spec)) {
                String name = engine.formatUser(user);
                PasswdFileEditor editor = CliSupport.editor(spec, engine.passDb(), name);
                edit.apply(editor, name, engine.config());
                spec.commandLine().getOut().println(editor.file() + ": " + spec.name() + " " + name + ": done");
                spec.commandLine().getOut().flush();
                return CliSupport.EX_OK;
            } catch (IllegalArgumentException refused) {
                spec.commandLine().getErr().println("Error: " + refused.getMessage());
                spec.commandLine().getErr().flush();
                return refused.getMessage().startsWith("no such user") ? CliSupport.EX_NOUSER : CliSupport.EX_USAGE;
            }
        }

        interface Edit {
            void apply(PasswdFileEditor editor, String user, AuthConfig config) throws Exception;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add USER to the passwd-file.")
    static final class Add extends PasswdFileEdit {
        @Option(names = "--uid", description = "uid column") String uid = "";
        @Option(names = "--gid", description = "gid column") String gid = "";
        @Option(names = "--home", description = "home column") String home = "";
        @Option(names = "--extra", paramLabel = "FIELDS", description = "extra fields, e.g. userdb_quota_rule=*:storage=1G")
        String extra = "";

        @Override
        public Integer call() throws Exception {
            return run((editor, name, config) -> {
                PasswdFileEditor.checkUserName(name);
                String rest = (uid + gid + home + extra).isEmpty() ? "" : uid + ":" + gid + "::" + home + "::" + extra;
                if (rest.contains("\n")) {
                    throw new IllegalArgumentException("fields may not contain line breaks");
                }
                editor.add(name, hash(config), rest);
            });
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Change USER's password in the passwd-file.")
    static final class Passwd extends PasswdFileEdit {
        @Override
        public Integer call() throws Exception {
            return run((editor, name, config) -> {
                if (!editor.contains(name)) {
                    throw new IllegalArgumentException("no such user " + name + " in " + editor.file());
                }
                editor.setPassword(name, hash(config));
            });
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Remove USER from the passwd-file.")
    static final class Del extends PasswdFileEdit {
        @Override
        public Integer call() throws Exception {
            return run((editor, name, config) -> editor.delete(name));
        }
    }
}
