package org.mailserver.imap.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailserver.storage.Flag;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MailboxListener;
import org.mailserver.storage.MessageMeta;

class SelectedMailboxTest {

    private final MailboxListener[] feed = new MailboxListener[1];
    /** The session's event loop, held still: its tasks run only when the test says so. */
    private final List<Runnable> eventLoopTasks = new ArrayList<>();
    private final List<String> out = new ArrayList<>();
    private final SelectedMailbox.UpdateSink sink = new SelectedMailbox.UpdateSink() {
        public void expunged(int seq, long uid) { out.add(seq + " EXPUNGE"); }
        public void exists(int count) { out.add(count + " EXISTS"); }
        public void flags(int seq, MessageMeta meta) { out.add(seq + " FETCH " + meta.uid() + " " + meta.flags()); }
    };

    private SelectedMailbox view(int[] wakeUps) {
        Mailbox mailbox = (Mailbox) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Mailbox.class},
            (p, m, args) -> {
                if (m.getName().equals("addListener")) {
                    feed[0] = (MailboxListener) args[0];
                }
                return null;
            });
        SelectedMailbox view = new SelectedMailbox(mailbox, false);
        view.listen(eventLoopTasks::add, () -> wakeUps[0]++);
        view.load(List.of(meta(1, 1), meta(2, 2)), Set.of());
        return view;
    }

    /**
     * Another session's APPEND answers its client as soon as the store returns; that client may then send a
     * command to this session, which Netty reads before it runs the event loop's pending tasks. The change
     * must therefore be queued by the store's call itself, not by a task on the event loop.
     */
    @Test
    void aChangeIsQueuedBeforeTheStoreCallReturnsNotWhenTheEventLoopGetsToIt() {
        int[] wakeUps = {0};
        SelectedMailbox view = view(wakeUps);
        feed[0].added(List.of(meta(3, 3)));
        feed[0].flagsChanged(List.of(seen(1, 4)));

        view.drainUpdates(true, sink); // no event-loop task has run yet
        assertEquals(List.of("3 EXISTS", "1 FETCH 1 [SEEN]"), out);
        assertEquals(0, wakeUps[0], "the wake-up itself still runs on the event loop");
        eventLoopTasks.forEach(Runnable::run);
        assertEquals(2, wakeUps[0]);
    }

    @Test
    void dropFlagEchoesDropsOurOwnChangeButKeepsALaterOneByAnotherSession() {
        SelectedMailbox view = view(new int[1]);
        MessageMeta ours = seen(1, 5);
        feed[0].flagsChanged(List.of(ours, seen(2, 5)));
        MessageMeta theirs = new MessageMeta(1, Set.of(Flag.SEEN, Flag.FLAGGED), Set.of(), 100, Instant.EPOCH, 6);
        feed[0].flagsChanged(List.of(theirs));

        eventLoopTasks.forEach(Runnable::run); // as the STORE's result does: it reaches the event loop after them
        view.dropFlagEchoes(List.of(ours, seen(2, 5))); // our STORE already sent FETCH lines for both
        view.drainUpdates(true, sink);
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).startsWith("1 FETCH 1 "), out.toString());
        assertTrue(out.get(0).contains("FLAGGED"), "the other session's later change is still reported: " + out);
    }

    @Test
    void aDeletedMailboxIsKnownAtOnce() {
        int[] wakeUps = {0};
        SelectedMailbox view = view(wakeUps);
        feed[0].mailboxGone();
        assertTrue(view.gone());
        eventLoopTasks.forEach(Runnable::run);
        assertEquals(1, wakeUps[0]);
    }

    private static MessageMeta meta(long uid, long modSeq) {
        return new MessageMeta(uid, Set.of(), Set.of(), 100, Instant.EPOCH, modSeq);
    }

    private static MessageMeta seen(long uid, long modSeq) {
        return new MessageMeta(uid, Set.of(Flag.SEEN), Set.of(), 100, Instant.EPOCH, modSeq);
    }
}
