package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.cli.CliContext;
import org.mailserver.core.cli.CommandProvider;
import org.mailserver.core.config.Settings;
import org.mailserver.core.queue.admin.QueueCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mailserver queue ...} on the command line with no daemon running (files directly). */
@Timeout(20)
class QueueCommandsTest {
    @TempDir
    Path dir;

    @Command(name = "mailserver")
    static final class Root implements CliContext {
        final Settings settings;

        Root(Settings settings) {
            this.settings = settings;
        }

        @Override
        public Path configDirectory() {
            return Path.of(".");
        }

        @Override
        public Settings settings() {
            return settings;
        }
    }

    String run(String stdin, String... args) {
        Settings s = Settings.of(Map.of("queue_directory", dir.resolve("q").toString(), "data_directory", dir.resolve("data").toString()));
        CommandLine cl = new CommandLine(new Root(s));
        for (CommandProvider p : java.util.ServiceLoader.load(CommandProvider.class)) {
            if (p instanceof QueueCommands) {
                p.commands().forEach(cl::addSubcommand);
            }
        }
        PrintStream oldOut = System.out;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, cl.execute(args));
        } finally {
            System.setOut(oldOut);
            System.setIn(oldIn);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listAndDeleteFromStandardInputWithoutADaemon() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir.resolve("q"));
        String a = QueueFileTest.commit(q, QueueFileTest.envelope("s@example.org", "r@example.net"), "Subject: a\r\n\r\na\r\n");
        String b = QueueFileTest.commit(q, QueueFileTest.envelope("t@example.org", "r@example.net"), "Subject: b\r\n\r\nb\r\n");
        String listing = run("", "queue", "list");
        assertTrue(listing.contains(a + "*") && listing.contains(b + "*"), listing);
        assertTrue(run("", "queue", "list", "--json").contains("\"queue_id\": \"" + a + "\""));
        // mailq-style lines on stdin, as in: mailq | awk ... | mailserver queue delete -
        assertTrue(run(a + "*\n", "queue", "delete", "-").contains(a + ": deleted"));
        assertTrue(q.find(a).isEmpty());
        assertTrue(run("", "queue", "cat", b).contains("Subject: b"));
        assertTrue(run("", "queue", "flush").contains("not running"));
    }

    @Test
    void holdReleaseRequeueAndDeleteTakeIdsAsArguments() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir.resolve("q"));
        String a = QueueFileTest.commit(q, QueueFileTest.envelope("s@example.org", "r@example.net"), "Subject: a\r\n\r\na\r\n");
        assertTrue(run("", "queue", "hold", a).contains(a + ": held"));
        assertTrue(run("", "queue", "release", a).contains(a + ": released"));
        assertTrue(run("", "queue", "requeue", a).contains(a + ": requeued"));
        assertTrue(run("", "queue", "delete", a).contains(a + ": deleted"));
        assertTrue(q.find(a).isEmpty());
    }
}
