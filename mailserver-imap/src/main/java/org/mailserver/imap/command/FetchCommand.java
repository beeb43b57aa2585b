package org.mailserver.imap.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SequenceSet;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.FetchAttribute.Kind;
import org.mailserver.imap.fetch.MessageContentRenderer;
import org.mailserver.imap.session.FairWorkPool;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.Responses;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.Flag;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.NoWait;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * FETCH and UID FETCH (RFC 3501 6.4.5, 6.4.8) with CHANGEDSINCE and VANISHED (RFC 7162 3.1.4, 3.2.6). This
 * shell resolves the set, sets \Seen for non-PEEK body items (and then reports FLAGS), renders FLAGS, UID,
 * INTERNALDATE, RFC822.SIZE and MODSEQ itself and asks the {@link MessageContentRenderer} for the rest. Responses
 * are produced on the blocking executor and written in batches on the event loop. Messages expunged meanwhile
 * are skipped (RFC 2180 4.1.2 leaves the choice).
 */
final class FetchCommand implements ImapCommand {
    /**
     * Responses are handed to the event loop in chunks of about this size: small enough that one chunk's TLS
     * work (the loop encrypts it in one go) does not hold up the other sessions on that loop for long.
     */
    private static final int BATCH_BYTES = 64 * 1024;
    /** At most this many messages are fetched on the event loop ({@link #fitsInline}). */
    static final int INLINE_MESSAGES = 16;
    private final boolean uid;

    FetchCommand(boolean uid) {
        this.uid = uid;
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        SequenceSet set = SequenceSet.parse(args.word());
        args.sp();
        List<FetchAttribute> items = new ArrayList<>(FetchParser.parse(args));
        long changedSince = -1;
        boolean vanished = false;
        if (args.acceptSp()) {
            args.expect('(');
            do {
                String mod = args.atom().toUpperCase(java.util.Locale.ROOT);
                if (mod.equals("CHANGEDSINCE")) {
                    args.sp();
                    changedSince = args.number();
                } else if (mod.equals("VANISHED")) {
                    vanished = true;
                } else {
                    throw new SyntaxException("unknown FETCH modifier " + mod);
                }
            } while (args.acceptSp());
            args.expect(')');
        }
        args.end();
        if (vanished && (!uid || changedSince < 0 || !s.isEnabled(ImapSession.Enabled.QRESYNC))) {
            throw ImapException.bad("VANISHED needs UID FETCH, CHANGEDSINCE and QRESYNC"); // RFC 7162 3.2.6
        }
        if (changedSince >= 0) {
            s.enabled().add(ImapSession.Enabled.CONDSTORE); // RFC 7162 3.1: CHANGEDSINCE is a CONDSTORE-enabling command
        }
        if (uid && items.stream().noneMatch(a -> a.kind() == Kind.UID)) {
            items.add(0, FetchAttribute.simple(Kind.UID)); // RFC 3501 6.4.8: UID FETCH always returns UID
        }
        if ((changedSince >= 0 || s.isEnabled(ImapSession.Enabled.CONDSTORE)) && changedSince >= 0
            && items.stream().noneMatch(a -> a.kind() == Kind.MODSEQ)) {
            items.add(FetchAttribute.simple(Kind.MODSEQ));
        }
        SelectedMailbox view = s.selected();
        // Everything below costs in proportion to the messages asked for, not to the mailbox: sequence numbers
        // and \Recent of those UIDs are taken here (the view is event-loop confined), their metas by UID.
        List<Long> uids = MessageSets.resolve(view, set, uid);
        int[] seqs = new int[uids.size()]; // parallel to uids, both ascending
        Set<Long> recent = new HashSet<>();
        Set<Long> viewRecent = s.rev2() ? Set.of() : view.recent(); // RFC 9051: no \Recent
        for (int i = 0; i < seqs.length; i++) {
            long u = uids.get(i);
            seqs[i] = view.seqOf(u);
            if (viewRecent.contains(u)) {
                recent.add(u);
            }
        }
        boolean setsSeen = !view.readOnly() && items.stream().anyMatch(FetchAttribute::setsSeen);
        long since = changedSince;
        boolean sendVanished = vanished;
        MessageContentRenderer renderer = s.resources().renderer();
        var options = new MessageContentRenderer.RenderOptions(s.utf8(), s.rev2());
        ImapSession.StorageCall<Done> work = () -> {
            // on the event loop (a small FETCH) everything goes out at the end, in Done: a run that meets a busy
            // mailbox lock half-way is run again on the pool (NoWait), and must not have written anything yet
            boolean chunked = !s.transport().inEventLoop();
            Mailbox mb = view.mailbox();
            Outbox outbox = new Outbox(s);
            if (sendVanished) {
                // RFC 7162 3.2.6: the UIDs of the set expunged since the modseq; when the store no longer knows,
                // every UID of the set that is not here (ranges, never expanded)
                var gone = mb.expungedSince(since);
                List<long[]> ranges = new ArrayList<>();
                if (gone.isPresent()) {
                    gone.get().forEach(u -> ranges.add(new long[] {u, u}));
                } else {
                    ranges.addAll(SelectCommand.gaps(mb.messages(), mb.uidNext()));
                }
                List<long[]> asked = SelectCommand.intersect(ranges, set.ranges());
                if (!asked.isEmpty()) {
                    outbox.post(("* VANISHED (EARLIER) " + Responses.ranges(asked) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
            List<MessageMeta> metas = mb.messages(uids); // ascending, those still present
            Set<Long> seenNow = new HashSet<>();
            List<MessageMeta> changed = new ArrayList<>();
            if (setsSeen) {
                List<Long> unseen = metas.stream().filter(m -> !m.flags().contains(Flag.SEEN)).map(MessageMeta::uid).toList();
                if (!unseen.isEmpty()) {
                    var result = mb.store(unseen, Mailbox.StoreMode.ADD, Set.of(Flag.SEEN), Set.of(), 0);
                    changed.addAll(result.changed());
                    Map<Long, MessageMeta> after = new HashMap<>();
                    for (MessageMeta m : result.changed()) {
                        after.put(m.uid(), m);
                        seenNow.add(m.uid());
                    }
                    metas = metas.stream().map(m -> after.getOrDefault(m.uid(), m)).toList();
                }
            }
            // Sized up front: growing by doubling copied every response again (GC churn with many sessions). Many
            // messages fill a chunk; one message takes about its size at most (a body fetch) plus the item names.
            int chunk = BATCH_BYTES + 16 * 1024;
            Batch batch = new Batch(metas.size() == 1 ? (int) Math.min(chunk, metas.get(0).size() + 512) : chunk);
            byte[][] names = responseNames(items);
            int at = 0; // metas are the present subset of uids, both ascending: one walk finds each seq
            for (MessageMeta meta : metas) {
                FairWorkPool.yieldPoint(); // no lock held here: other sessions' short commands may run
                long u = meta.uid();
                while (uids.get(at) != u) {
                    at++;
                }
                int seq = seqs[at];
                if (since >= 0 && meta.modSeq() <= since) {
                    continue;
                }
                int mark = batch.size();
                try {
                    render(batch, seq, meta, items, names, !seenNow.isEmpty() && seenNow.contains(u),
                        !recent.isEmpty() && recent.contains(u), mb, renderer, options);
                } catch (StorageException e) {
                    batch.truncate(mark); // nothing of a response that failed half-way goes out
                    if (e.error() == StorageError.NOT_FOUND || e.error() == StorageError.EXPUNGED) {
                        continue; // expunged by someone else meanwhile
                    }
                    throw e;
                }
                if (chunked && batch.size() > BATCH_BYTES) {
                    outbox.post(batch.toByteArray());
                    batch.reset();
                }
            }
            return new Done(batch.toByteArray(), changed);
        };
        // A client opening one message: rendered here rather than handed to the work pool and back (two thread
        // wake-ups, each waiting for a CPU when the machine is busy); bounded to a small read, no flag write
        boolean here = !setsSeen && !sendVanished && fitsInline(view.mailbox(), uids, s.config().inlineFetchMaxSize());
        return (here ? s.onEventLoop(work) : s.blocking(work)).thenApply(done -> {
            s.write(done.rest());
            view.dropFlagEchoes(done.seenChanged()); // the implicit \Seen was reported inline as FLAGS
            return (uid ? "UID " : "") + "Fetch completed.";
        });
    }

    /**
     * Whether a FETCH of these messages may run on the event loop: at most {@link #INLINE_MESSAGES} of them,
     * together no larger than {@code maxSize} (imap_inline_fetch_max_size; 0 never). Their metas are in memory;
     * when the mailbox is locked by another thread, the answer is no rather than a wait ({@link NoWait}).
     */
    static boolean fitsInline(Mailbox mb, List<Long> uids, long maxSize) {
        if (maxSize <= 0 || uids.isEmpty() || uids.size() > INLINE_MESSAGES) {
            return false;
        }
        try {
            long total = NoWait.call(() -> mb.messages(uids).stream().mapToLong(MessageMeta::size).sum());
            return total <= maxSize;
        } catch (Exception e) {
            return false; // busy (NoWait.WouldBlockException) or failing: the pool runs it and reports errors as usual
        }
    }

    private record Done(byte[] rest, List<MessageMeta> seenChanged) {
    }

    /**
     * Hands chunks of responses to the event loop (ordered: the loop runs tasks FIFO) with one chunk in flight:
     * before posting the next, it waits until the client has taken enough of the previous one that the outbound
     * buffer is below its high water mark. The next chunk is rendered while the loop encrypts and sends the last
     * (two cores work), and a client that asks for everything and reads nothing holds two chunks in memory, not
     * the mailbox. Used by one blocking thread.
     */
    private static final class Outbox {
        private final ImapSession s;
        private java.util.concurrent.CountDownLatch inFlight;

        Outbox(ImapSession s) {
            this.s = s;
        }

        void post(byte[] bytes) throws InterruptedException, StorageException {
            // While the client reads, the slot serves other sessions' new commands only (FairWorkPool.lendSlotWhile):
            // giving it up entirely (tried, reverted in bbe5ad0) let more FETCH 1:* render at once; on 2 cores with
            // 50 clients fetch_body p50 went from 1.9-6.8 ms to 6.3-12 and SELECT got slower too
            java.util.concurrent.CountDownLatch previous = inFlight;
            if (previous != null && previous.getCount() > 0 && !FairWorkPool.lendSlotWhile(
                    () -> previous.await(s.config().autologoutMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))) {
                throw new StorageException(StorageError.TEMPORARY, "Client stopped reading");
            }
            java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);
            s.transport().eventLoop().execute(() -> {
                s.write(bytes);
                s.flush();
            });
            s.transport().whenWritable(drained::countDown);
            inFlight = drained;
        }
    }

    /** A chunk being rendered; a response that fails half-way is cut off again. */
    private static final class Batch extends ByteArrayOutputStream {
        Batch(int size) {
            super(size);
        }

        void truncate(int size) {
            count = size;
        }
    }

    /** Each item's response name and a space, rendered once per command rather than once per message. */
    private static byte[][] responseNames(List<FetchAttribute> items) {
        byte[][] names = new byte[items.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = (items.get(i).responseName() + " ").getBytes(StandardCharsets.US_ASCII);
        }
        return names;
    }

    /** Appends the untagged FETCH response of one message to {@code out}. */
    private static void render(ByteArrayOutputStream out, int seq, MessageMeta meta, List<FetchAttribute> items,
                               byte[][] names, boolean seenNow, boolean recent, Mailbox mb,
                               MessageContentRenderer renderer, MessageContentRenderer.RenderOptions options) throws Exception {
        out.write('*');
        out.write(' ');
        writeNumber(out, seq);
        out.writeBytes(FETCH_OPEN);
        boolean first = true;
        boolean flagsSent = false;
        for (int i = 0; i < items.size(); i++) {
            FetchAttribute a = items.get(i);
            if (!first) {
                out.write(' ');
            }
            first = false;
            out.writeBytes(names[i]);
            switch (a.kind()) {
                case FLAGS -> {
                    out.writeBytes(Responses.flagListBytes(meta, recent));
                    flagsSent = true;
                }
                case UID -> writeNumber(out, meta.uid());
                case INTERNALDATE -> out.writeBytes(Responses.dateTime(meta.internalDate()).getBytes(StandardCharsets.US_ASCII));
                case RFC822_SIZE -> writeNumber(out, meta.size());
                case MODSEQ -> out.writeBytes(("(" + meta.modSeq() + ")").getBytes(StandardCharsets.US_ASCII));
                default -> out.writeBytes(renderer.render(mb, meta, a, options));
            }
        }
        if (seenNow && !flagsSent) {
            // RFC 3501 6.4.5: \Seen was set implicitly; tell the client its new flags
            out.writeBytes((" FLAGS " + Responses.flagList(meta, recent)).getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(FETCH_CLOSE);
    }

    private static final byte[] FETCH_OPEN = " FETCH (".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FETCH_CLOSE = ")\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A non-negative number in decimal ASCII, without a String per number (one per message and item). */
    static void writeNumber(ByteArrayOutputStream out, long n) {
        if (n < 0) {
            out.writeBytes(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        byte[] digits = new byte[20];
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        out.write(digits, at, digits.length - at);
    }
}
