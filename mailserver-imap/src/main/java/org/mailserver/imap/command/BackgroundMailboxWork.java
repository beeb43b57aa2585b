package org.mailserver.imap.command;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.mailserver.imap.search.SearchEvaluator;
import org.mailserver.imap.session.FairWorkPool;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping a SELECT leaves for the work pool's quiet moments, started by {@link SelectCommand} once the
 * SELECT has been answered, in this order:
 * <ol>
 *   <li>after a read-write SELECT, the store files the messages delivered since as seen by a reader
 *       ({@link org.mailserver.storage.Mailbox#settleNewMessages}: Maildir moves them from {@code new/} to
 *       {@code cur/}, which Dovecot does inside its SELECT);</li>
 *   <li>the search evaluator's {@link SearchEvaluator.BackgroundWork}: the SEARCH SUBJECT index of a mailbox of
 *       at least {@code imap_search_prebuild_messages} messages.</li>
 * </ol>
 * It runs on the IMAP work pool, on a background lane, first {@value #FIRST_TRY_MILLIS} ms after the SELECT and
 * then only while no other task runs or waits there: whenever one does, it puts its work aside and looks again
 * {@value #RETRY_MILLIS} ms later, so it never competes with a session's command (the FETCH 1:* that usually
 * follows a SELECT runs first). It stops when the session leaves the mailbox, and gives up after
 * {@value #PATIENCE_SECONDS} s of a busy pool, a full queue or a storage error: the next SELECT files the new
 * messages, and the first search builds the index itself, as without it. Best effort, never visible to the client.
 */
final class AfterSelectWork implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AfterSelectWork.class);
    static final long RETRY_MILLIS = 10;
    /**
     * The first look comes this long after the SELECT was answered: by then the command a client sends right
     * after it (Thunderbird's FETCH 1:*) is running, and the work waits for it instead of racing its start.
     */
    static final long FIRST_TRY_MILLIS = 50;
    static final long PATIENCE_SECONDS = 10;

    private final FairWorkPool pool;
    private final FairWorkPool.Lane lane;
    private final Deque<SearchEvaluator.BackgroundWork> work;
    private final String mailboxName;
    private final long deadline;

    private AfterSelectWork(FairWorkPool pool, Deque<SearchEvaluator.BackgroundWork> work, String mailboxName) {
        this.pool = pool;
        this.lane = pool.newBackgroundLane();
        this.work = work;
        this.mailboxName = mailboxName;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    }

    /** Starts whatever the mailbox just selected has to do. */
    static void start(ImapSession s, SelectedMailbox view) {
        Deque<SearchEvaluator.BackgroundWork> work = new ArrayDeque<>();
        if (!view.readOnly()) {
            work.add(settleNewMessages(view));
        }
        int min = s.config().searchPrebuildMessages();
        if (min > 0 && view.exists() >= min && s.resources().mimeSearch()) {
            SearchEvaluator.BackgroundWork index = s.resources().searchEvaluator().prepare(view.mailbox(), view::closed);
            if (index != null) {
                work.add(index);
            }
        }
        if (!work.isEmpty()) {
            new AfterSelectWork(s.resources().workers(), work, view.mailbox().name()).later(FIRST_TRY_MILLIS);
        }
    }

    private static SearchEvaluator.BackgroundWork settleNewMessages(SelectedMailbox view) {
        return new SearchEvaluator.BackgroundWork() {
            @Override
            public boolean step(java.util.function.BooleanSupplier pause) throws StorageException {
                return view.closed() || view.mailbox().settleNewMessages(pause);
            }

            @Override
            public void abandon() {
                // the files stay in new/ until the next read-write SELECT
            }
        };
    }

    @Override
    public void run() {
        try {
            while (!work.isEmpty()) {
                if (!work.peek().step(() -> pool.activeTasks() > 1)) { // this task holds one slot itself
                    break;
                }
                work.poll();
            }
        } catch (StorageException | RuntimeException e) {
            LOG.debug("imap: background work after the SELECT of {} stopped: {}", mailboxName, e.toString());
            abandon();
            return;
        }
        if (work.isEmpty()) {
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            abandon(); // the pool never had a quiet moment
            return;
        }
        later(RETRY_MILLIS);
    }

    private void abandon() {
        work.forEach(SearchEvaluator.BackgroundWork::abandon);
        work.clear();
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
            abandon();
        }
    }
}
