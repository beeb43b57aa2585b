package org.mailserver.imap.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.mailserver.imap.search.SearchEvaluator;
import org.mailserver.imap.session.FairWorkPool;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping of a selected mailbox that no client waits for, done in the IMAP work pool's quiet moments:
 * <ul>
 *   <li>{@link #afterSelect}: the search evaluator's {@link SearchEvaluator.BackgroundWork}, the SEARCH SUBJECT
 *       index of a mailbox of at least {@code imap_search_prebuild_messages} messages, started once the SELECT
 *       or EXAMINE has been answered;</li>
 *   <li>{@link #whileIdle}: once the client of a read-write SELECT goes IDLE, the store files the messages
 *       delivered since as seen by a reader ({@link org.mailserver.storage.Mailbox#settleNewMessages}: Maildir
 *       moves them from {@code new/} to {@code cur/}). Dovecot does this inside its SELECT; here it waits until
 *       the client has said it is done for now, because done at the SELECT it raced the FETCH 1:* that
 *       follows (the first open of a 10,000-message folder fell behind Dovecot's, docs/benchmarks.md).</li>
 * </ul>
 * Each runs on the IMAP work pool, on a background lane, first {@value #FIRST_TRY_MILLIS} ms after it is started
 * and then only while no other task runs or waits there: whenever one does, it puts its work aside and looks
 * again {@value #RETRY_MILLIS} ms later, so it never competes with a session's command. It stops when it is no
 * longer wanted (the session left the mailbox or, for the filing, the IDLE ended), and gives up after
 * {@value #PATIENCE_SECONDS} s of a busy pool, a full queue or a storage error: the next IDLE files the new
 * messages, and the first search builds the index itself, as without it. Best effort, never visible to the client.
 */
final class BackgroundMailboxWork implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundMailboxWork.class);
    static final long RETRY_MILLIS = 10;
    /**
     * The first look comes this long after the start: after a SELECT, the command a client sends right after it
     * (Thunderbird's FETCH 1:*) is then running, and the work waits for it instead of racing its start.
     */
    static final long FIRST_TRY_MILLIS = 50;
    static final long PATIENCE_SECONDS = 10;

    private final FairWorkPool pool;
    private final FairWorkPool.Lane lane;
    private final SearchEvaluator.BackgroundWork work;
    private final BooleanSupplier wanted;
    private final Runnable ended;
    private final String what;
    private final long deadline;

    private BackgroundMailboxWork(FairWorkPool pool, SearchEvaluator.BackgroundWork work, BooleanSupplier wanted,
                                  Runnable ended, String what) {
        this.pool = pool;
        this.lane = pool.newBackgroundLane();
        this.work = work;
        this.wanted = wanted;
        this.ended = ended;
        this.what = what;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    }

    /** After SELECT or EXAMINE: the SEARCH index of a large mailbox, when the MIME search layer is present. */
    static void afterSelect(ImapSession s, SelectedMailbox view) {
        int min = s.config().searchPrebuildMessages();
        if (min <= 0 || view.exists() < min || !s.resources().mimeSearch()) {
            return;
        }
        SearchEvaluator.BackgroundWork work = s.resources().searchEvaluator().prepare(view.mailbox(), view::closed);
        if (work != null) {
            // the build itself stops when the view closes (prepare's cancelled), keeping what it has done
            new BackgroundMailboxWork(s.resources().workers(), work, () -> true, () -> { },
                "the SEARCH index of " + view.mailbox().name()).later(FIRST_TRY_MILLIS);
        }
    }

    /** At IDLE in a read-write mailbox: files its new messages (one run per view at a time). */
    static void whileIdle(ImapSession s, SelectedMailbox view) {
        if (view.readOnly() || !view.startSettling()) {
            return;
        }
        SearchEvaluator.BackgroundWork work = new SearchEvaluator.BackgroundWork() {
            @Override
            public boolean step(BooleanSupplier pause) throws StorageException {
                return view.mailbox().settleNewMessages(pause);
            }

            @Override
            public void abandon() {
                // the files stay in new/ until the next IDLE
            }
        };
        new BackgroundMailboxWork(s.resources().workers(), work, () -> !view.closed() && s.idling(), view::settlingEnded,
            "filing the new messages of " + view.mailbox().name()).later(FIRST_TRY_MILLIS);
    }

    @Override
    public void run() {
        if (!wanted.getAsBoolean()) {
            stop();
            return;
        }
        boolean finished;
        try {
            // this task holds one slot itself
            finished = work.step(() -> pool.activeTasks() > 1 || !wanted.getAsBoolean());
        } catch (StorageException | RuntimeException e) {
            LOG.debug("imap: background work ({}) stopped: {}", what, e.toString());
            stop();
            return;
        }
        if (finished) {
            ended.run();
            return;
        }
        if (!wanted.getAsBoolean() || System.nanoTime() - deadline > 0) {
            stop(); // no longer wanted, or the pool never had a quiet moment
            return;
        }
        later(RETRY_MILLIS);
    }

    private void stop() {
        work.abandon();
        ended.run();
    }

    private void later(long millis) {
        // submit() only queues on the pool, so it runs on the JDK's one delay thread itself: without an executor
        // the delayed task went to the common pool, which on 1-2 CPUs starts a new thread per task (a thread per
        // retry, every 10 ms per selected big mailbox while the pool is busy: 1,100 threads in a 10-client run)
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, Runnable::run).execute(this::submit);
    }

    private void submit() {
        try {
            pool.execute(lane, this);
        } catch (RejectedExecutionException e) {
            stop();
        }
    }
}
