package org.mailserver.core.queue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue tools' operations while the daemon runs ({@code queue} control command): like
 * {@link OfflineQueueAdmin}, but aware of the {@link QueueManager}'s memory. A message in delivery is not
 * touched under the agent's feet: delete and hold are applied when its attempt ends.
 */
final class OnlineQueueAdmin implements QueueAdmin {
    private static final Logger log = LoggerFactory.getLogger(OnlineQueueAdmin.class);

    private final QueueManager qmgr;

    OnlineQueueAdmin(QueueManager qmgr) {
        this.qmgr = qmgr;
    }

    @Override
    public List<QueueEntry> list() throws IOException {
        List<QueueEntry> out = new ArrayList<>(qmgr.activeEntries());
        Set<String> inMemory = new HashSet<>();
        out.forEach(e -> inMemory.add(e.id()));
        for (QueueEntry e : new OfflineQueueAdmin(qmgr.queue).list()) {
            if (!inMemory.contains(e.id())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(QueueEntry::id));
        return out;
    }

    @Override
    public int flush() {
        int n = qmgr.makeAllDue();
        qmgr.runQueueSoon();
        return n;
    }

    @Override
    public List<String> delete(List<String> ids, QueueState only) throws IOException {
        return apply(ids, only, id -> {
            if (qmgr.requestIfActive(id, true)) {
                return true;
            }
            qmgr.unschedule(id);
            Optional<QueueState> where = qmgr.queue.find(id);
            if (where.isPresent() && qmgr.queue.delete(id, where.get())) {
                log.info("{}: removed", id);
                return true;
            }
            return false;
        });
    }

    @Override
    public List<String> hold(List<String> ids) throws IOException {
        return apply(ids, null, id -> {
            if (qmgr.requestIfActive(id, false)) {
                return true;
            }
            if (!qmgr.unschedule(id)) {
                return false;
            }
            Optional<QueueState> where = qmgr.queue.find(id);
            if (where.isPresent() && where.get() != QueueState.HOLD) {
                qmgr.queue.move(id, where.get(), QueueState.HOLD);
                log.info("{}: placed on hold", id);
                return true;
            }
            return false;
        });
    }

    @Override
    public List<String> release(List<String> ids) throws IOException {
        return requeueFrom(ids, List.of(QueueState.HOLD), "released from hold");
    }

    @Override
    public List<String> requeue(List<String> ids) throws IOException {
        return requeueFrom(ids, List.of(QueueState.HOLD, QueueState.DEFERRED), "requeued");
    }

    private List<String> requeueFrom(List<String> ids, List<QueueState> from, String what) throws IOException {
        List<String> done = apply(ids, null, id -> {
            Optional<QueueState> where = qmgr.queue.find(id);
            if (where.isEmpty() || !from.contains(where.get())) {
                return false;
            }
            qmgr.unschedule(id);
            qmgr.queue.move(id, where.get(), QueueState.DEFERRED);
            qmgr.schedule(id, qmgr.clock.instant());
            log.info("{}: {}", id, what);
            return true;
        });
        qmgr.runQueueSoon();
        return done;
    }

    @Override
    public String cat(String id) throws IOException {
        return new OfflineQueueAdmin(qmgr.queue).cat(id);
    }

    private interface Op {
        boolean apply(String id) throws IOException;
    }

    private List<String> apply(List<String> ids, QueueState only, Op op) throws IOException {
        List<String> targets = new ArrayList<>();
        if (ids.size() == 1 && "ALL".equals(ids.get(0))) {
            for (QueueState s : only == null ? OfflineQueueAdmin.VISIBLE : List.of(only)) {
                targets.addAll(qmgr.queue.list(s));
            }
        } else {
            for (String id : ids) {
                if (!QueueId.isValid(id)) {
                    throw new IllegalArgumentException(id + ": not a queue ID");
                }
                if (only == null || qmgr.queue.find(id).filter(only::equals).isPresent()) {
                    targets.add(id);
                }
            }
        }
        List<String> done = new ArrayList<>();
        for (String id : targets) {
            if (op.apply(id)) {
                done.add(id);
            }
        }
        return done;
    }
}
