package org.mailserver.core.queue.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailserver.core.queue.QueueAdmin;
import org.mailserver.core.queue.QueueListing;
import org.mailserver.core.queue.QueueState;

/**
 * The {@code queue} request language shared by the control-socket command (daemon running) and the
 * command line (daemon down): the same words, the same output, whichever {@link QueueAdmin} answers.
 *
 * <pre>
 * list [--json] | flush | delete ID...|ALL [deferred|hold|active] | hold ID...|ALL | release ID...|ALL
 * requeue ID...|ALL | cat ID
 * </pre>
 */
public final class QueueRequest {
    private QueueRequest() {
    }

    /** Runs one request; {@link IllegalArgumentException} for a bad one (the control socket answers "error:"). */
    public static String run(QueueAdmin admin, List<String> args) throws IOException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: queue list|flush|delete|hold|release|requeue|cat ...");
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (verb) {
            case "list":
                if (rest.contains("--json")) {
                    return QueueListing.json(admin.list());
                }
                return QueueListing.mailq(admin.list());
            case "flush":
                return "flushed: " + admin.flush() + " deferred message(s) scheduled now\n";
            case "delete": {
                List<String> ids = new ArrayList<>(rest);
                QueueState only = null;
                if (ids.size() == 2 && "ALL".equals(ids.get(0))) {
                    only = state(ids.remove(1));
                }
                return report("deleted", admin.delete(ids(ids), only));
            }
            case "hold":
                return report("held", admin.hold(ids(rest)));
            case "release":
                return report("released", admin.release(ids(rest)));
            case "requeue":
                return report("requeued", admin.requeue(ids(rest)));
            case "cat":
                if (rest.size() != 1) {
                    throw new IllegalArgumentException("usage: queue cat ID");
                }
                return admin.cat(rest.get(0));
            default:
                throw new IllegalArgumentException("unknown queue command: " + verb);
        }
    }

    private static List<String> ids(List<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("give queue IDs or ALL");
        }
        return ids;
    }

    private static QueueState state(String name) {
        for (QueueState s : List.of(QueueState.ACTIVE, QueueState.DEFERRED, QueueState.HOLD)) {
            if (s.directory().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a queue name: " + name + " (active, deferred, hold)");
    }

    private static String report(String what, List<String> ids) {
        StringBuilder out = new StringBuilder();
        for (String id : ids) {
            out.append(id).append(": ").append(what).append('\n');
        }
        out.append(what).append(": ").append(ids.size()).append(" message").append(ids.size() == 1 ? "" : "s").append('\n');
        return out.toString();
    }
}
