package org.mailserver.imap.command;

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
 * Runs the search evaluator's {@link SearchEvaluator.BackgroundWork} for a mailbox just selected (the SEARCH
 * SUBJECT index of a mailbox of at least {@code imap_search_prebuild_messages} messages), started by
 * {@link SelectCommand} once the SELECT has been answered. It runs on the IMAP work pool, on a background
 * lane, first {@value #FIRST_TRY_MILLIS} ms after the SELECT and then only while no other task runs or waits
 * there: whenever one does, it puts its work aside and looks
 * again {@value #RETRY_MILLIS} ms later, so it never competes with a session's command (the FETCH 1:* that
 * usually follows a SELECT runs first). It stops when the session leaves the mailbox, and gives up after
 * {@value #PATIENCE_SECONDS} s of a busy pool, a full queue or a storage error: the first search then builds
 * the index itself, as without it. Best effort, never visible to the client.
 */
final class SearchIndexWarmer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexWarmer.class);
    static final long RETRY_MILLIS = 10;
    /**
     * The first look comes this long after the SELECT was answered: by then the command a client sends right
     * after it (Thunderbird's FETCH 1:*) is running, and the build waits for it instead of racing its start.
     */
    static final long FIRST_TRY_MILLIS = 50;
    static final long PATIENCE_SECONDS = 10;

    private final FairWorkPool pool;
    private final FairWorkPool.Lane lane;
    private final SearchEvaluator.BackgroundWork work;
    private final String mailboxName;
    private final long deadline;

    private SearchIndexWarmer(FairWorkPool pool, SearchEvaluator.BackgroundWork work, String mailboxName) {
        this.pool = pool;
        this.lane = pool.newBackgroundLane();
        this.work = work;
        this.mailboxName = mailboxName;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    }

    /** Starts the preparation of a selected mailbox when it is large enough and the MIME search layer is present. */
    static void start(ImapSession s, SelectedMailbox view) {
        int min = s.config().searchPrebuildMessages();
        if (min <= 0 || view.exists() < min || !s.resources().mimeSearch()) {
            return;
        }
        SearchEvaluator.BackgroundWork work = s.resources().searchEvaluator().prepare(view.mailbox(), view::closed);
        if (work != null) {
            new SearchIndexWarmer(s.resources().workers(), work, view.mailbox().name()).later(FIRST_TRY_MILLIS);
        }
    }

    @Override
    public void run() {
        boolean finished;
        try {
            finished = work.step(() -> pool.activeTasks() > 1); // this task holds one slot itself
        } catch (StorageException | RuntimeException e) {
            LOG.debug("imap: background SEARCH index build of {} stopped: {}", mailboxName, e.toString());
            return;
        }
        if (finished) {
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            work.abandon(); // the pool never had a quiet moment: the first search builds the index
            return;
        }
        later(RETRY_MILLIS);
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
            work.abandon();
        }
    }
}
