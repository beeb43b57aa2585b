package org.mailserver.imap.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SequenceSet;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.session.ClientActivity;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.RecentFolders;
import org.mailserver.imap.session.Responses;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.Flag;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;

/**
 * SELECT and EXAMINE (RFC 3501 6.3.1/6.3.2) with the CONDSTORE and QRESYNC parameters (RFC 7162 3.1.8,
 * 3.2.5): opens the view, registers for its change feed, reports FLAGS, EXISTS, RECENT, UNSEEN, UIDVALIDITY,
 * UIDNEXT, HIGHESTMODSEQ and, for QRESYNC, VANISHED (EARLIER) and the FETCHes of messages changed since the
 * client's modseq. A failed SELECT leaves no mailbox selected (RFC 3501 6.3.1).
 */
final class SelectCommand implements ImapCommand {
    private final boolean readOnly;

    SelectCommand(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** QRESYNC parameters (RFC 7162 3.2.5). */
    private record Qresync(long uidValidity, long modSeq, SequenceSet knownUids) {
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        ClientActivity.mailboxOpened(); // the start-up mailbox warm-up gives way (mailserver-dist MailboxWarmup)
        args.sp();
        String name = Names.read(s, args);
        Qresync qresync = null;
        boolean condstore = false;
        if (args.acceptSp()) {
            args.expect('(');
            do {
                String p = args.atom().toUpperCase(Locale.ROOT);
                if (p.equals("CONDSTORE")) {
                    condstore = true;
                } else if (p.equals("QRESYNC")) {
                    if (!s.isEnabled(ImapSession.Enabled.QRESYNC)) {
                        throw ImapException.bad("QRESYNC not enabled");
                    }
                    args.sp();
                    args.expect('(');
                    long validity = args.number();
                    args.sp();
                    long modSeq = args.number();
                    SequenceSet known = null;
                    if (args.acceptSp() && !args.peekIs('(')) {
                        known = SequenceSet.parse(args.word());
                        args.acceptSp();
                    }
                    if (args.peekIs('(')) {
                        args.list(RequestReader::word); // seq-match-data: optional optimisation, not needed to be correct
                    }
                    args.expect(')');
                    qresync = new Qresync(validity, modSeq, known);
                } else {
                    throw new SyntaxException("unknown SELECT parameter " + p);
                }
            } while (args.acceptSp());
            args.expect(')');
        }
        args.end();
        if (condstore) {
            s.enabled().add(ImapSession.Enabled.CONDSTORE); // RFC 7162 3.1.8: SELECT (CONDSTORE) enables it
        }
        boolean wasSelected = s.selected() != null;
        s.select(null);
        if (wasSelected && (s.isEnabled(ImapSession.Enabled.QRESYNC) || s.rev2())) {
            s.writeLine("* OK [CLOSED] Previous mailbox closed.");
        }
        Qresync q = qresync;
        return s.blocking(() -> open(s, name, q)).thenApply(r -> {
            r.lines.forEach(s::writeLine);
            s.select(r.view);
            s.listener().services().find(RecentFolders.class).ifPresent(f -> f.opened(s.user(), name)); // FolderPreloadModule
            BackgroundMailboxWork.afterSelect(s, r.view); // background, only while the pool is idle
            return (readOnly ? "[READ-ONLY] " : "[READ-WRITE] ") + (readOnly ? "Examine" : "Select") + " completed.";
        });
    }

    /** UIDs below {@code uidNext} that are not among the (ascending) messages, as ranges, never expanded. */
    static List<long[]> gaps(List<MessageMeta> messages, long uidNext) {
        return gaps(messages.stream().mapToLong(MessageMeta::uid).toArray(), uidNext);
    }

    /** UIDs below {@code uidNext} that are not among the ascending UIDs, as ranges, never expanded. */
    static List<long[]> gaps(long[] uids, long uidNext) {
        List<long[]> out = new ArrayList<>();
        long next = 1;
        for (long uid : uids) {
            if (uid > next) {
                out.add(new long[] {next, uid - 1});
            }
            next = uid + 1;
        }
        if (next <= uidNext - 1) {
            out.add(new long[] {next, uidNext - 1});
        }
        return out;
    }

    /** The parts of {@code ranges} inside {@code within}, ascending; both are inclusive [lo, hi] pairs. */
    static List<long[]> intersect(List<long[]> ranges, List<long[]> within) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            for (long[] w : within) {
                long lo = Math.max(r[0], w[0]);
                long hi = Math.min(r[1], w[1]);
                if (lo <= hi) {
                    out.add(new long[] {lo, hi});
                }
            }
        }
        out.sort((x, y) -> Long.compare(x[0], y[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : out) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new long[] {r[0], r[1]});
            }
        }
        return merged;
    }

    private record Opened(SelectedMailbox view, List<String> lines) {
    }

    private Opened open(ImapSession s, String name, Qresync q) throws Exception {
        Mailbox mailbox = s.store().open(name);
        try {
            SelectedMailbox view = new SelectedMailbox(mailbox, readOnly);
            view.listen(s.transport().eventLoop(), s::mailboxChanged);
            // The UIDs only: no message is materialised to open a view (the store keeps the array between changes)
            long[] uids = mailbox.uids();
            Set<Long> recent = readOnly ? Set.of() : mailbox.recent();
            view.load(uids, recent);
            List<String> out = new ArrayList<>();
            // The store keeps both facts up to date: no walk over every message (10,000 flag sets) per SELECT.
            Set<String> keywords = mailbox.keywordsInUse();
            int firstUnseen = firstUnseenSeq(mailbox, view);
            String kw = keywords.isEmpty() ? "" : " " + String.join(" ", keywords);
            out.add("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft" + kw + ")");
            out.add(readOnly ? "* OK [PERMANENTFLAGS ()] Read-only mailbox."
                : "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft" + kw + " \\*)] Flags permitted.");
            out.add("* " + view.exists() + " EXISTS");
            if (!s.rev2()) {
                out.add("* " + recent.size() + " RECENT"); // RFC 9051 removed RECENT
            }
            if (firstUnseen > 0) {
                out.add("* OK [UNSEEN " + firstUnseen + "] First unseen.");
            }
            out.add("* OK [UIDVALIDITY " + mailbox.uidValidity() + "] UIDs valid");
            out.add("* OK [UIDNEXT " + mailbox.uidNext() + "] Predicted next UID");
            out.add("* OK [HIGHESTMODSEQ " + mailbox.highestModSeq() + "] Highest");
            if (q != null && q.uidValidity() == mailbox.uidValidity()) {
                resync(s, mailbox, view, recent, q, out);
            }
            return new Opened(view, out);
        } catch (Exception | Error e) {
            mailbox.close();
            throw e;
        }
    }

    /**
     * The sequence number of the first message without \Seen among those the view was loaded with, 0 if none.
     * The store answers by UID; only when a change fell between the view's snapshot and that answer (the UID is
     * not in the view) are the messages walked. Flag changes after the snapshot reach the client through the
     * change feed like any other.
     */
    private static int firstUnseenSeq(Mailbox mailbox, SelectedMailbox view) throws Exception {
        long uid = mailbox.firstUnseenUid();
        if (uid == 0) {
            return 0;
        }
        int seq = view.seqOf(uid);
        if (seq > 0) {
            return seq;
        }
        for (MessageMeta m : mailbox.messages()) {
            int at = view.seqOf(m.uid());
            if (at > 0 && !m.flags().contains(Flag.SEEN)) {
                return at;
            }
        }
        return 0;
    }

    /** RFC 7162 3.2.5.2: VANISHED (EARLIER) for what the client may still have, then FETCH for what changed. */
    private void resync(ImapSession s, Mailbox mailbox, SelectedMailbox view, Set<Long> recent, Qresync q,
                        List<String> out) throws Exception {
        List<MessageMeta> messages = mailbox.messages();
        var since = mailbox.expungedSince(q.modSeq());
        List<long[]> vanished = new ArrayList<>();
        if (since.isPresent()) {
            for (long uid : new TreeSet<>(since.get())) {
                vanished.add(new long[] {uid, uid});
            }
        } else {
            vanished = gaps(view.uids(), mailbox.uidNext()); // the store no longer knows: whatever is missing below UIDNEXT
        }
        // RFC 7162 3.2.5.2: only UIDs the client knows; also merges neighbours into ranges
        vanished = intersect(vanished, q.knownUids() != null ? q.knownUids().ranges() : List.of(new long[] {1, Long.MAX_VALUE}));
        if (!vanished.isEmpty()) {
            out.add("* VANISHED (EARLIER) " + Responses.ranges(vanished));
        }
        for (MessageMeta m : messages) {
            int seq = view.seqOf(m.uid()); // 0: came after the view's snapshot, reported as new mail later
            if (seq > 0 && m.modSeq() > q.modSeq()) {
                out.add("* " + seq + " FETCH (UID " + m.uid() + " FLAGS " + Responses.flagList(m, recent.contains(m.uid()) && !s.rev2())
                    + " MODSEQ (" + m.modSeq() + "))");
            }
        }
    }
}
