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
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
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
            return (readOnly ? "[READ-ONLY] " : "[READ-WRITE] ") + (readOnly ? "Examine" : "Select") + " completed.";
        });
    }

    private record Opened(SelectedMailbox view, List<String> lines) {
    }

    private Opened open(ImapSession s, String name, Qresync q) throws Exception {
        Mailbox mailbox = s.store().open(name);
        try {
            SelectedMailbox view = new SelectedMailbox(mailbox, readOnly);
            view.listen(s.transport().eventLoop(), s::mailboxChanged);
            List<MessageMeta> messages = mailbox.messages();
            Set<Long> recent = readOnly ? Set.of() : mailbox.recent();
            view.load(messages, recent);
            List<String> out = new ArrayList<>();
            Set<String> keywords = new TreeSet<>();
            int firstUnseen = 0;
            for (int i = 0; i < messages.size(); i++) {
                MessageMeta m = messages.get(i);
                keywords.addAll(m.keywords());
                if (firstUnseen == 0 && !m.flags().contains(Flag.SEEN)) {
                    firstUnseen = i + 1;
                }
            }
            String kw = keywords.isEmpty() ? "" : " " + String.join(" ", keywords);
            out.add("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft" + kw + ")");
            out.add(readOnly ? "* OK [PERMANENTFLAGS ()] Read-only mailbox."
                : "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft" + kw + " \\*)] Flags permitted.");
            out.add("* " + messages.size() + " EXISTS");
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
                resync(s, mailbox, messages, recent, q, out);
            }
            return new Opened(view, out);
        } catch (Exception | Error e) {
            mailbox.close();
            throw e;
        }
    }

    /** RFC 7162 3.2.5.2: VANISHED (EARLIER) for what the client may still have, then FETCH for what changed. */
    private void resync(ImapSession s, Mailbox mailbox, List<MessageMeta> messages, Set<Long> recent, Qresync q,
                        List<String> out) throws Exception {
        long[] present = messages.stream().mapToLong(MessageMeta::uid).toArray();
        List<Long> vanished = new ArrayList<>();
        var since = mailbox.expungedSince(q.modSeq());
        if (since.isPresent()) {
            vanished.addAll(since.get());
        } else {
            // the store no longer knows: every UID the client could know that is not here any more
            SequenceSet range = q.knownUids() != null ? q.knownUids() : SequenceSet.parse("1:" + Math.max(1, mailbox.uidNext() - 1));
            for (long uid : range.expand(10_000_000)) {
                if (java.util.Arrays.binarySearch(present, uid) < 0) {
                    vanished.add(uid);
                }
            }
        }
        if (q.knownUids() != null && since.isPresent()) {
            List<Long> known = q.knownUids().expand(10_000_000);
            vanished.retainAll(new java.util.HashSet<>(known));
        }
        java.util.Collections.sort(vanished);
        if (!vanished.isEmpty()) {
            out.add("* VANISHED (EARLIER) " + Responses.numberSet(vanished));
        }
        for (int i = 0; i < messages.size(); i++) {
            MessageMeta m = messages.get(i);
            if (m.modSeq() > q.modSeq()) {
                out.add("* " + (i + 1) + " FETCH (UID " + m.uid() + " FLAGS " + Responses.flagList(m, recent.contains(m.uid()) && !s.rev2())
                    + " MODSEQ (" + m.modSeq() + "))");
            }
        }
    }
}
