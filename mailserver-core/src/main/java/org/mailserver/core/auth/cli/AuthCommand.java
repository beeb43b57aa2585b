package org.mailserver.core.auth.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mailserver.core.auth.AuthContext;
import org.mailserver.core.auth.AuthEngine;
import org.mailserver.core.auth.AuthResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mailserver auth test USER [PASSWORD]}: a passdb and userdb check, like {@code doveadm auth test}. */
@Command(name = "auth", mixinStandardHelpOptions = true, description = "Authentication tools.",
    subcommands = AuthCommand.Test.class)
public final class AuthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliSupport.EX_USAGE;
    }

    /** Exit 0 only when the password is right; 77 when wrong, 75 on a temporary failure. */
    @Command(name = "test", mixinStandardHelpOptions = true,
        description = "Check USER's password against the passdb (prompted or read from stdin when not given).")
    public static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Parameters(index = "1", paramLabel = "PASSWORD", arity = "0..1")
        String password;

        @Option(names = "-x", paramLabel = "rip=IP", description = "Remote IP to check allow_nets against (default 127.0.0.1)")
        Map<String, String> info = Map.of();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String pw = password != null ? password : CliSupport.readPassword(spec, "Password: ", false);
            String rip = info.getOrDefault("rip", "127.0.0.1");
            AuthContext ctx = new AuthContext("doveadm", new InetSocketAddress(InetAddress.getByName(rip), 0), null, true);
            try (AuthEngine engine = CliSupport.engine(spec)) {
                AuthResult r = engine.verifyPlain(user, pw, ctx, "PLAIN").get(60, TimeUnit.SECONDS);
                switch (r.status()) {
                    case OK:
                        out.println("passdb: " + r.user() + " auth succeeded");
                        out.println("extra fields:");
                        out.println("  user=" + r.user());
                        UserCommand.printFields(out, r.userInfo(), "  ");
                        out.flush();
                        return CliSupport.EX_OK;
                    case TEMPORARY_FAILURE:
                        out.println("passdb: " + user + " auth failed: temporary failure (see the log)");
                        out.flush();
                        return CliSupport.EX_TEMPFAIL;
                    default:
                        out.println("passdb: " + user + " auth failed");
                        out.flush();
                        return CliSupport.EX_NOPERM;
                }
            }
        }
    }
}
