package org.mailserver.core.queue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mailserver.core.delivery.DeliveryAgent;
import org.mailserver.core.delivery.DeliveryAgents;
import org.mailserver.core.delivery.DeliveryJournal;
import org.mailserver.core.delivery.DeliveryRequest;
import org.mailserver.core.delivery.RecipientResult;
import org.mailserver.core.delivery.Route;
import org.mailserver.core.delivery.Router;
import org.mailserver.core.lookup.LookupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue manager (Postfix's qmgr): takes committed messages into a bounded in-memory active set,
 * groups each message's pending recipients by {@link Route}, and runs one job per group through the
 * transport's {@link DeliveryAgent}, honouring a per-destination concurrency limit and rate delay so a
 * slow destination only ever holds its own slots. After each attempt {@link AttemptEnd} sends bounces
 * and notices and decides: removed (every recipient done), deferred (backoff), or expired.
 *
 * <p>Crash guarantees: every decision is in the queue file before it takes effect, so on restart
 * {@link #start()} re-reads active/ and deferred/ and continues; a recipient is never delivered again
 * after its 'D' record. Every delivery happens while the file is in active/, so after a crash the
 * pending recipients of the messages found there are "in doubt" and the local agent checks the mailbox
 * before storing again; no per-delivery "in progress" record (and fsync) is needed for that. The admin tools' view
 * of a running manager is {@link #admin()}.
 */
public final class QueueManager {
    private static final Logger log = LoggerFactory.getLogger(QueueManager.class);

    final FileMessageQueue queue;
    private final DeliveryAgents agents;
    private volatile Router router;
    volatile QueueManagerConfig config;
    final Clock clock;
    final AttemptEnd attemptEnd;
    private final QueueAdmin admin = new OnlineQueueAdmin(this);
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;

    // All below guarded by this.
    private final Map<String, ActiveMessage> active = new LinkedHashMap<>();
    private final Set<String> loading = new HashSet<>();
    /** Messages found in active/ at start: a delivery may have been cut short, so local recipients are in doubt. */
    private final Set<String> recoveredAtStart = new HashSet<>();
    private final Deque<String> waiting = new ArrayDeque<>();
    private final Map<String, Instant> deferred = new HashMap<>();
    private final Map<String, Destination> destinations = new HashMap<>();
    private int running;
    private boolean stopped;

    /** One destination queue: jobs waiting for a slot, slots in use, the last start (rate delay). */
    private static final class Destination {
        final Deque<Job> jobs = new ArrayDeque<>();
        int active;
        Instant lastStart = Instant.EPOCH;
    }

    private record Job(ActiveMessage message, Route route, List<Integer> recipients) {
    }

    public QueueManager(FileMessageQueue queue, DeliveryAgents agents, Router router, QueueManagerConfig config, Clock clock) {
        this.queue = queue;
        this.agents = agents;
        this.router = router;
        this.config = config;
        this.clock = clock;
        this.attemptEnd = new AttemptEnd(this);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "qmgr"));
        this.workers = new DeliveryThreads("delivery", config.processLimit());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Recovers the queue and starts scheduling. */
    public void start() throws IOException {
        queue.recoverIncoming();
        queue.startSpares(); // after the recovery, which would delete them as unfinished files
        for (String id : queue.list(QueueState.DEFERRED)) {
            Optional<QueuedMessage> m = queue.load(QueueState.DEFERRED, id);
            if (m.isPresent()) {
                Instant last = m.get().lastAttempt() == null ? m.get().arrival() : m.get().lastAttempt();
                synchronized (this) {
                    deferred.put(id, last.plus(config.backoff(m.get().attempts())));
                }
            }
        }
        List<String> recovered = queue.list(QueueState.ACTIVE);
        if (!recovered.isEmpty()) {
            log.info("recovering {} message(s) from active/", recovered.size());
        }
        synchronized (this) {
            recoveredAtStart.addAll(recovered);
        }
        queue.onArrival(this::arrived);
        for (String id : recovered) {
            arrived(id);
        }
        long delay = Math.max(100, config.queueRunDelay().toMillis());
        timer.scheduleWithFixedDelay(this::queueRun, delay, delay, TimeUnit.MILLISECONDS);
    }

    public void setRouter(Router router) {
        this.router = router;
    }

    /**
     * Applies new tunables (reload): backoff times, lifetimes, notices and limits apply to the next
     * decisions; the worker pool size ({@code default_process_limit}) and the queue run period
     * ({@code queue_run_delay}) are fixed at start.
     */
    public void reconfigure(QueueManagerConfig config) {
        this.config = config;
    }

    /** Stops scheduling; running deliveries finish within the grace time or are abandoned (their files stay). */
    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        queue.stopSpares();
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A message is in active/: take it in now, or when the active set has room. */
    void arrived(String id) {
        synchronized (this) {
            if (stopped || active.containsKey(id) || loading.contains(id)) {
                return;
            }
            if (active.size() + loading.size() >= config.activeLimit()) {
                waiting.add(id);
                return;
            }
            loading.add(id);
        }
        onWorker(() -> admit(id));
    }

    /**
     * Reads the file, groups the pending recipients into jobs and starts them. Runs on a delivery worker
     * ({@link #onWorker}); the first job started runs right here, on this thread, so that a message goes
     * from its arrival to its delivery with one thread hand-off instead of two.
     */
    private void admit(String id) {
        Optional<QueuedMessage> loaded;
        try {
            loaded = queue.load(QueueState.ACTIVE, id);
        } catch (IOException e) {
            log.warn("{}: cannot read queue file: {}", id, e.toString());
            loaded = Optional.empty();
        }
        ActiveMessage am;
        Runnable first = null;
        boolean noJobs;
        synchronized (this) {
            loading.remove(id);
            if (loaded.isEmpty() || stopped) {
                admitWaiting();
                return;
            }
            am = new ActiveMessage(loaded.get(), clock.instant(), recoveredAtStart.remove(id));
            active.put(id, am);
            Map<Route, List<Integer>> byRoute = new LinkedHashMap<>();
            for (int i : am.message.pendingRecipients()) {
                Envelope.Recipient r = am.message.envelope().recipients().get(i);
                Route route;
                try {
                    route = router.route(r.address(), am.message.envelope().sender());
                } catch (LookupException | RuntimeException e) {
                    // A table that cannot answer defers, as Postfix's "table lookup problem" does.
                    route = new Route("error", "4.3.0 routing lookup failed: " + e.getMessage());
                }
                byRoute.computeIfAbsent(route, k -> new ArrayList<>()).add(i);
            }
            int limit = Math.max(1, config.recipientLimit());
            for (Map.Entry<Route, List<Integer>> e : byRoute.entrySet()) {
                List<Integer> all = e.getValue();
                for (int from = 0; from < all.size(); from += limit) {
                    Job job = new Job(am, e.getKey(), List.copyOf(all.subList(from, Math.min(all.size(), from + limit))));
                    destinations.computeIfAbsent(e.getKey().key(), k -> new Destination()).jobs.add(job);
                    am.jobsLeft++;
                }
            }
            noJobs = am.jobsLeft == 0; // read under the lock: a started job may end (and count down) at once
            if (!noJobs) {
                first = startJobs(true);
            }
        }
        if (noJobs) {
            finishAttempt(am);
        } else if (first != null) {
            first.run();
        }
    }

    /** Starts every job that has a free slot at its destination and a free worker. */
    private synchronized void dispatch() {
        startJobs(false);
    }

    /**
     * As {@link #dispatch()}; with {@code takeOne} the first job started is not handed to the pool but
     * returned (its slots already taken), for the caller, a worker thread, to run after leaving the lock.
     */
    private synchronized Runnable startJobs(boolean takeOne) {
        Runnable taken = null;
        Instant now = clock.instant();
        for (Destination d : destinations.values()) {
            while (!d.jobs.isEmpty() && running < config.processLimit() && !stopped) {
                Job job = d.jobs.peek();
                boolean rated = !config.rateDelay().isZero();
                int limit = rated ? 1 : Math.max(1, config.concurrencyLimit().applyAsInt(job.route.transport()));
                if (d.active >= limit) {
                    break;
                }
                if (rated && d.lastStart.plus(config.rateDelay()).isAfter(now)) {
                    long wait = java.time.Duration.between(now, d.lastStart.plus(config.rateDelay())).toMillis();
                    try {
                        timer.schedule(this::dispatch, Math.max(1, wait), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        // stopping
                    }
                    break;
                }
                d.jobs.poll();
                d.active++;
                d.lastStart = now;
                running++;
                if (takeOne && taken == null) {
                    taken = () -> runJob(job, d);
                } else {
                    workers.execute(() -> runJob(job, d));
                }
            }
        }
        // An idle destination is forgotten, unless it must still remember its last start for the rate delay.
        Instant rateHorizon = now.minus(config.rateDelay());
        destinations.values().removeIf(d -> d.jobs.isEmpty() && d.active == 0 && !d.lastStart.isAfter(rateHorizon));
        return taken;
    }

    private void runJob(Job job, Destination d) {
        ActiveMessage am = job.message;
        Instant start = clock.instant();
        DeliveryJournal journal = am.journal(queue, job.route, clock, start);
        Set<Integer> reported = new HashSet<>();
        DeliveryJournal tracking = new DeliveryJournal() {
            @Override
            public void starting(int index) throws IOException {
                journal.starting(index);
            }

            @Override
            public void report(RecipientResult result) throws IOException {
                if (job.recipients.contains(result.index()) && reported.add(result.index())) {
                    journal.report(result);
                }
            }
        };
        try {
            if (!am.deleteRequested) {
                Optional<DeliveryAgent> agent = agents.find(job.route.transport());
                if (agent.isEmpty()) {
                    for (int i : job.recipients) {
                        tracking.report(RecipientResult.deferred(i, "4.3.5",
                            "mail transport unavailable: no delivery agent for \"" + job.route.transport() + "\"", "none"));
                    }
                } else {
                    DeliveryRequest request = new DeliveryRequest(am.id(), am.message.envelope(), job.route,
                        am.rcpts(job.recipients), am.message.contentSize(),
                        () -> queue.openContent(QueueState.ACTIVE, am.message), am.queuedAt);
                    agent.get().deliver(request, tracking);
                }
            }
        } catch (Exception | Error e) {
            // An Error too (a broken agent, a class that failed to load): the recipients are deferred and,
            // below, the worker and destination slots freed; a slot kept by a failed job is never given back.
            log.warn("{}: delivery agent {} failed: {}", am.id(), job.route.transport(), e.toString(), e);
            for (int i : job.recipients) {
                if (!reported.contains(i) && !am.deleteRequested) {
                    try {
                        tracking.report(RecipientResult.deferred(i, "4.3.0", "delivery agent failure: " + e.getMessage(), "none"));
                    } catch (IOException | RuntimeException io) {
                        log.error("{}: cannot record deferral: {}", am.id(), io.toString());
                    }
                }
            }
        } finally {
            boolean last;
            synchronized (this) {
                d.active--;
                running--;
                last = --am.jobsLeft == 0;
            }
            if (last) {
                finishAttempt(am);
            }
            dispatch();
        }
    }

    /** Runs the end-of-attempt bookkeeping, then frees the active slot. */
    private void finishAttempt(ActiveMessage am) {
        Optional<Instant> nextAttempt = Optional.empty();
        try {
            nextAttempt = attemptEnd.run(am);
        } catch (IOException | RuntimeException e) {
            log.error("{}: end of attempt failed, retrying later: {}", am.id(), e.toString(), e);
            try {
                queue.force(QueueState.ACTIVE, am.id()); // 'D' records of local deliveries may be unforced
                queue.move(am.id(), QueueState.ACTIVE, QueueState.DEFERRED);
                nextAttempt = Optional.of(clock.instant().plus(config.minimalBackoff()));
            } catch (IOException io) {
                log.error("{}: cannot move to deferred: {}", am.id(), io.toString());
            }
        }
        synchronized (this) {
            active.remove(am.id());
            nextAttempt.ifPresent(t -> deferred.put(am.id(), t));
            admitWaiting();
        }
    }

    private synchronized void admitWaiting() {
        while (!stopped && !waiting.isEmpty() && active.size() + loading.size() < config.activeLimit()) {
            String id = waiting.poll();
            loading.add(id);
            onWorker(() -> admit(id));
        }
    }

    /** The periodic scan: every deferred message whose backoff has passed goes back to active. */
    void queueRun() {
        List<String> due = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Map.Entry<String, Instant> e : deferred.entrySet()) {
                if (!e.getValue().isAfter(now)) {
                    due.add(e.getKey());
                }
            }
            due.forEach(deferred::remove);
        }
        due.sort(null);
        for (String id : due) {
            try {
                queue.move(id, QueueState.DEFERRED, QueueState.ACTIVE);
                arrived(id);
            } catch (java.nio.file.NoSuchFileException e) {
                log.debug("{}: gone before its retry", id);
            } catch (IOException e) {
                log.warn("{}: cannot move to active: {}", id, e.toString());
            }
        }
    }

    // ---- hooks for OnlineQueueAdmin (the admin tools while the daemon runs) ----

    /** The admin operations against this running manager. */
    public QueueAdmin admin() {
        return admin;
    }

    synchronized List<QueueEntry> activeEntries() {
        List<QueueEntry> out = new ArrayList<>();
        for (ActiveMessage am : active.values()) {
            out.add(QueueEntry.of(am.message, QueueState.ACTIVE));
        }
        return out;
    }

    /** Asks a message in delivery to be deleted or held when its attempt ends; false when not active. */
    synchronized boolean requestIfActive(String id, boolean delete) {
        ActiveMessage am = active.get(id);
        if (am == null) {
            return false;
        }
        if (delete) {
            am.deleteRequested = true;
        } else {
            am.holdRequested = true;
        }
        return true;
    }

    /** Drops a message from the retry schedule and the waiting list; true when it was in either. */
    synchronized boolean unschedule(String id) {
        boolean wasDeferred = deferred.remove(id) != null;
        return waiting.remove(id) || wasDeferred;
    }

    synchronized void schedule(String id, Instant when) {
        deferred.put(id, when);
    }

    synchronized int makeAllDue() {
        Instant now = clock.instant();
        deferred.replaceAll((k, v) -> now);
        return deferred.size();
    }

    void runQueueSoon() {
        onTimer(this::queueRun);
    }

    /** Runs work on a delivery worker; after stop() it is dropped (files stay, and are recovered at start). */
    private void onWorker(Runnable work) {
        try {
            workers.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("queue manager stopping: admission dropped");
        }
    }

    /** Runs work on the scheduler thread; after stop() there is none and the work is dropped (files stay). */
    private void onTimer(Runnable work) {
        try {
            timer.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("queue manager stopping: scheduler work dropped");
        }
    }

    /** For tests: whether nothing is active, loading or waiting. */
    public synchronized boolean idle() {
        return active.isEmpty() && loading.isEmpty() && waiting.isEmpty();
    }

    InputStream content(QueuedMessage m) throws IOException {
        return queue.openContent(QueueState.ACTIVE, m);
    }
}
