package org.mailserver.imap.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SequenceSet;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.Responses;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;

/**
 * STORE and UID STORE (RFC 3501 6.4.6) with .SILENT and UNCHANGEDSINCE (RFC 7162 3.1.3): messages changed
 * since the given modseq are left alone and listed in {@code OK [MODIFIED set]}. Untagged FETCH carries the
 * new FLAGS, UID, and MODSEQ once CONDSTORE is enabled; the store's own change echo is dropped.
 */
final class StoreCommand implements ImapCommand {
    private final boolean uid;

    StoreCommand(boolean uid) {
        this.uid = uid;
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        SequenceSet set = SequenceSet.parse(args.word());
        args.sp();
        long unchangedSince = 0;
        if (args.peekIs('(')) {
            args.expect('(');
            if (!args.acceptWord("UNCHANGEDSINCE")) {
                throw new SyntaxException("unknown STORE modifier");
            }
            args.sp();
            unchangedSince = args.number();
            args.expect(')');
            args.sp();
            s.enabled().add(ImapSession.Enabled.CONDSTORE);
        }
        String op = args.atom().toUpperCase(Locale.ROOT);
        Mailbox.StoreMode mode = switch (op.replace(".SILENT", "")) {
            case "FLAGS" -> Mailbox.StoreMode.REPLACE;
            case "+FLAGS" -> Mailbox.StoreMode.ADD;
            case "-FLAGS" -> Mailbox.StoreMode.REMOVE;
            default -> throw new SyntaxException("unknown STORE item " + op);
        };
        boolean silent = op.endsWith(".SILENT");
        args.sp();
        List<String> names = args.peekIs('(') ? args.list(RequestReader::flag) : spaceSeparatedFlags(args);
        args.end();
        Flags flags = Flags.of(names);
        SelectedMailbox view = s.selected();
        if (view.readOnly()) {
            throw ImapException.no("READ-ONLY", "Mailbox is read-only.");
        }
        List<Long> uids = MessageSets.resolve(view, set, uid);
        long since = unchangedSince;
        if (uids.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture("Store completed.");
        }
        return s.blocking(() -> view.mailbox().store(uids, mode, flags.system(), flags.keywords(), since)).thenApply(result -> {
            view.dropFlagEchoes(result.changed());
            boolean condstore = s.isEnabled(ImapSession.Enabled.CONDSTORE);
            StringBuilder lines = new StringBuilder(); // one write for all of them, not one per message
            for (MessageMeta m : result.changed()) {
                int seq = view.seqOf(m.uid());
                if (seq <= 0) {
                    continue;
                }
                if (!silent) {
                    lines.append("* ").append(seq).append(" FETCH (").append(Responses.flagsItem(s, m)).append(")\r\n");
                } else if (condstore) {
                    // RFC 7162 3.1.3: .SILENT suppresses FLAGS, but a CONDSTORE client still learns the new MODSEQ
                    lines.append("* ").append(seq).append(" FETCH (").append(uid ? "UID " + m.uid() + " " : "")
                        .append("MODSEQ (").append(m.modSeq()).append("))\r\n");
                }
            }
            if (lines.length() > 0) {
                s.write(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (!result.modified().isEmpty()) {
                List<Long> numbers = new ArrayList<>();
                for (long u : result.modified()) {
                    numbers.add(uid ? u : (long) view.seqOf(u));
                }
                java.util.Collections.sort(numbers);
                return "[MODIFIED " + Responses.numberSet(numbers) + "] Conditional store failed.";
            }
            return "Store completed.";
        });
    }

    /** RFC 3501 9: store-att-flags allows flags separated by spaces without parentheses. */
    private static List<String> spaceSeparatedFlags(RequestReader args) throws SyntaxException {
        List<String> out = new ArrayList<>();
        do {
            out.add(args.flag());
        } while (args.acceptSp());
        return out;
    }
}
