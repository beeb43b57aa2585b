package org.mailserver.core.queue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue tools' operations on the files, for when the daemon is not running (Postfix's
 * {@code postsuper} works the same way). Must not be used while a queue manager owns the directory.
 * {@code flush} only reports: deferred mail is retried when the daemon starts.
 */
public final class OfflineQueueAdmin implements QueueAdmin {
    private static final Logger log = LoggerFactory.getLogger(OfflineQueueAdmin.class);
    static final List<QueueState> VISIBLE = List.of(QueueState.ACTIVE, QueueState.DEFERRED, QueueState.HOLD);

    private final FileMessageQueue queue;

    public OfflineQueueAdmin(FileMessageQueue queue) {
        this.queue = queue;
    }

    @Override
    public List<QueueEntry> list() throws IOException {
        List<QueueEntry> out = new ArrayList<>();
        for (QueueState state : VISIBLE) {
            for (String id : queue.list(state)) {
                try {
                    out.add(QueueEntry.of(queue.inspect(state, id), state));
                } catch (CorruptQueueFileException e) {
                    log.warn("{}: unreadable: {}", id, e.getMessage());
                } catch (java.nio.file.NoSuchFileException e) {
                    // moved or removed while listing
                }
            }
        }
        out.sort(Comparator.comparing(QueueEntry::id));
        return out;
    }

    @Override
    public int flush() {
        return 0;
    }

    @Override
    public List<String> delete(List<String> ids, QueueState only) throws IOException {
        List<String> done = new ArrayList<>();
        for (Target t : targets(ids, only == null ? VISIBLE : List.of(only))) {
            if (queue.delete(t.id, t.state)) {
                log.info("{}: removed", t.id);
                done.add(t.id);
            }
        }
        return done;
    }

    @Override
    public List<String> hold(List<String> ids) throws IOException {
        return move(ids, List.of(QueueState.ACTIVE, QueueState.DEFERRED), QueueState.HOLD);
    }

    @Override
    public List<String> release(List<String> ids) throws IOException {
        return move(ids, List.of(QueueState.HOLD), QueueState.DEFERRED);
    }

    @Override
    public List<String> requeue(List<String> ids) throws IOException {
        // Active files are delivered first at the next start, so requeue = back to active.
        return move(ids, List.of(QueueState.DEFERRED, QueueState.HOLD), QueueState.ACTIVE);
    }

    @Override
    public String cat(String id) throws IOException {
        Optional<QueueState> state = queue.find(id);
        if (state.isEmpty()) {
            throw new IllegalArgumentException(id + ": no such message in the queue");
        }
        try {
            QueuedMessage m = queue.inspect(state.get(), id);
            try (InputStream in = queue.openContent(state.get(), m)) {
                return QueueListing.cat(m, state.get(), in);
            }
        } catch (CorruptQueueFileException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private List<String> move(List<String> ids, List<QueueState> from, QueueState to) throws IOException {
        List<String> done = new ArrayList<>();
        for (Target t : targets(ids, from)) {
            queue.move(t.id, t.state, to);
            done.add(t.id);
        }
        return done;
    }

    record Target(String id, QueueState state) {
    }

    /** Resolves {@code ALL} or explicit IDs to where they are, limited to the given states. */
    List<Target> targets(List<String> ids, List<QueueState> states) throws IOException {
        List<Target> out = new ArrayList<>();
        if (ids.size() == 1 && "ALL".equals(ids.get(0))) {
            for (QueueState s : states) {
                for (String id : queue.list(s)) {
                    out.add(new Target(id, s));
                }
            }
            return out;
        }
        for (String id : ids) {
            if (!QueueId.isValid(id)) {
                throw new IllegalArgumentException(id + ": not a queue ID");
            }
            queue.find(id).filter(states::contains).ifPresent(s -> out.add(new Target(id, s)));
        }
        return out;
    }
}
