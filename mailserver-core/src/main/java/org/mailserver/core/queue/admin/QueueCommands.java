package org.mailserver.core.queue.admin;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mailserver.core.cli.CliContext;
import org.mailserver.core.cli.CommandProvider;
import org.mailserver.core.config.Settings;
import org.mailserver.core.daemon.ControlClient;
import org.mailserver.core.queue.FileMessageQueue;
import org.mailserver.core.queue.OfflineQueueAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailserver queue ...}: Postfix's mailq, postqueue and postsuper in one command. Each sub-command
 * asks the running daemon over the control socket; when no daemon answers it works on the queue files
 * directly (like postsuper), which is safe only while the daemon is down.
 */
public final class QueueCommands implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new QueueCommand());
    }

    @Command(name = "queue", description = "Show and manage the mail queue (mailq, postqueue, postsuper, postcat).",
        mixinStandardHelpOptions = true,
        subcommands = {ListCmd.class, FlushCmd.class, DeleteCmd.class, HoldCmd.class, ReleaseCmd.class,
            RequeueCmd.class, CatCmd.class})
    public static final class QueueCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(System.out);
            return 0;
        }
    }

    /** Shared execution: online through the control socket, else offline on the files. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        abstract List<String> request() throws Exception;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = (CliContext) spec.root().userObject();
            Settings settings = ctx.settings();
            List<String> words = new ArrayList<>();
            words.add("queue");
            words.addAll(request());
            try {
                Optional<String> online = online(settings, words);
                String out;
                if (online.isPresent()) {
                    out = online.get();
                } else {
                    FileMessageQueue queue = new FileMessageQueue(settings.getPath("queue_directory"));
                    out = QueueRequest.run(new OfflineQueueAdmin(queue), words.subList(1, words.size()));
                    if ("flush".equals(words.get(1))) {
                        out = "the daemon is not running: deferred mail is retried when it starts\n";
                    }
                }
                System.out.print(out);
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("mailserver queue: " + e.getMessage());
                return 2;
            }
        }

        /** The daemon's answer, or empty when no daemon is running (then the files are used). */
        private static Optional<String> online(Settings settings, List<String> words) throws java.io.IOException {
            try {
                ControlClient.Reply reply = ControlClient.forSettings(settings).send(words);
                if (!reply.ok()) {
                    throw new IllegalArgumentException(reply.body().trim());
                }
                return Optional.of(reply.body());
            } catch (ControlClient.NotRunningException e) {
                return Optional.empty();
            }
        }

        /** IDs from the arguments, or from standard input when the only argument is "-" (postsuper -d -). */
        static List<String> idsOrStdin(List<String> ids) throws Exception {
            if (ids.size() == 1 && "-".equals(ids.get(0))) {
                List<String> out = new ArrayList<>();
                BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    for (String w : line.trim().split("\\s+")) {
                        if (!w.isEmpty()) {
                            out.add(w.replaceAll("[*!]$", ""));
                        }
                    }
                }
                return out;
            }
            return ids;
        }
    }

    @Command(name = "list", description = "List queued mail like mailq / postqueue -p (-j with --json).")
    static final class ListCmd extends Base {
        @Option(names = "--json", description = "One JSON object per message, like postqueue -j.")
        boolean json;

        @Override
        List<String> request() {
            return json ? List.of("list", "--json") : List.of("list");
        }
    }

    @Command(name = "flush", description = "Retry all deferred mail now (postqueue -f).")
    static final class FlushCmd extends Base {
        @Override
        List<String> request() {
            return List.of("flush");
        }
    }

    /** The commands that act on queue IDs given as arguments, or on stdin with "-": one request verb each. */
    abstract static class ByIds extends Base {
        private final String verb;

        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        ByIds(String verb) {
            this.verb = verb;
        }

        @Override
        List<String> request() throws Exception {
            List<String> out = new ArrayList<>(List.of(verb));
            out.addAll(idsOrStdin(ids));
            return out;
        }
    }

    @Command(name = "delete", description = "Delete messages (postsuper -d): IDs, '-' for IDs on stdin, or ALL [deferred|hold|active].")
    static final class DeleteCmd extends ByIds {
        DeleteCmd() {
            super("delete");
        }
    }

    @Command(name = "hold", description = "Put messages on hold (postsuper -h).")
    static final class HoldCmd extends ByIds {
        HoldCmd() {
            super("hold");
        }
    }

    @Command(name = "release", description = "Release held messages (postsuper -H).")
    static final class ReleaseCmd extends ByIds {
        ReleaseCmd() {
            super("release");
        }
    }

    @Command(name = "requeue", description = "Re-route and retry messages now (postsuper -r).")
    static final class RequeueCmd extends ByIds {
        RequeueCmd() {
            super("requeue");
        }
    }

    @Command(name = "cat", description = "Show a queued message's envelope and content (postcat -q).")
    static final class CatCmd extends Base {
        @Parameters(arity = "1", paramLabel = "ID")
        String id;

        @Override
        List<String> request() {
            return List.of("cat", id);
        }
    }
}
