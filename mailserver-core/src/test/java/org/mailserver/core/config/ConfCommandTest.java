package org.mailserver.core.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.cli.CliContext;
import org.mailserver.core.cli.CommandProvider;
import picocli.CommandLine;

@Timeout(10)
class ConfCommandTest {
    @TempDir
    Path dir;

    /** Stands in for the daemon's root command: {@code mailserver -c DIR}. */
    @CommandLine.Command(name = "mailserver")
    static final class Root implements CliContext {
        @CommandLine.Option(names = "-c")
        Path configDirectory;

        @Override
        public Path configDirectory() {
            return configDirectory;
        }

        @Override
        public Settings settings() {
            return MainCf.load(configDirectory);
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private int status;

    @BeforeEach
    void writeConfig() throws IOException {
        Files.writeString(dir.resolve("main.cf"), """
            myhostname = mail.example.test
            myorigin = $mydomain
            mydestination = $myhostname,
              localhost
            """);
        Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:2525\nsubmissions smtp :2465 -o test_wrappermode=yes\n");
    }

    private String run(String... args) {
        CommandLine cl = new CommandLine(new Root());
        for (CommandProvider p : java.util.ServiceLoader.load(CommandProvider.class)) {
            p.commands().forEach(cl::addSubcommand);
        }
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 2];
        full[0] = "-c";
        full[1] = dir.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        status = cl.execute(full);
        return out.toString();
    }

    @Test
    void dashNShowsTheExplicitValuesSortedAsWritten() {
        assertEquals("""
            mydestination = $myhostname, localhost
            myhostname = mail.example.test
            myorigin = $mydomain
            """, run("conf", "-n"));
        assertEquals(0, status);
    }

    @Test
    void dashXExpands() {
        assertEquals("myorigin = example.test\n", run("conf", "-n", "-x", "myorigin"));
    }

    @Test
    void allParametersIncludeDefaults() {
        String all = run("conf");
        assertTrue(all.contains("\nmyhostname = mail.example.test\n"), all);
        assertTrue(all.contains("\nmessage_size_limit = 51200000\n"), all);
        assertTrue(all.contains("\nvirtual_alias_maps =\n"), all);
    }

    @Test
    void dashDShowsDefaults() {
        assertEquals("mydestination = $myhostname, localhost.$mydomain, localhost\nmyorigin = $myhostname\n",
            run("conf", "-d", "mydestination", "myorigin"));
    }

    @Test
    void unknownNameIsAnErrorWithSuggestion() {
        assertEquals("myorigin = $mydomain\n", run("conf", "myorigin", "myorign"));
        assertEquals(1, status);
        assertEquals("conf: warning: myorign: unknown parameter; did you mean myorigin?\n", err.toString());
    }

    @Test
    void brokenConfigurationIsAnErrorNamingTheLine() throws IOException {
        Files.writeString(dir.resolve("main.cf"), "test_integer = many\n");
        run("conf", "-n");
        assertEquals(1, status);
        assertEquals("conf: error: " + dir.resolve("main.cf") + ":1: test_integer: not a number: \"many\"\n", err.toString());
    }

    @Test
    void masterListeners() {
        assertEquals("smtp smtp 127.0.0.1:2525\nsubmissions smtp 2465 -o test_wrappermode=yes\n", run("conf", "-M"));
    }

    @Test
    void markdownReferenceHasEveryParameter() {
        String md = run("conf", "--markdown");
        assertTrue(md.contains("### core\n"), md);
        assertTrue(md.contains("| `myorigin` | string | `$myhostname` | postfix: myorigin | "), md);
        for (String name : ParameterRegistry.all().keySet()) {
            assertTrue(md.contains("| `" + name + "` |"), name);
        }
    }
}
