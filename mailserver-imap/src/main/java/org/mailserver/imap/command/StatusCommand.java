package org.mailserver.imap.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.storage.Flag;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;

/**
 * STATUS mailbox (items) (RFC 3501 6.3.10) with HIGHESTMODSEQ (RFC 7162 3.1.6) and SIZE (RFC 8438).
 * Also renders the STATUS lines of LIST-STATUS (RFC 5819). RECENT is reported as 0 for a mailbox the session
 * has not selected: the store's recent set is claimed by opening it, which STATUS must not do.
 */
final class StatusCommand implements ImapCommand {

    static final List<String> ITEMS = List.of("MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "HIGHESTMODSEQ",
        "SIZE", "DELETED");

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        args.sp();
        String name = Names.read(s, args);
        args.sp();
        List<String> items = readItems(args);
        args.end();
        return s.blocking(() -> {
            try (Mailbox mb = s.store().open(name)) {
                return statusLine(s, name, mb, items);
            }
        }).thenApply(line -> {
            s.writeLine(line);
            return "Status completed.";
        });
    }

    static List<String> readItems(RequestReader args) throws SyntaxException {
        List<String> items = new ArrayList<>();
        for (String item : args.list(RequestReader::atom)) {
            String u = item.toUpperCase(Locale.ROOT);
            if (!ITEMS.contains(u)) {
                throw new SyntaxException("unknown STATUS item " + item);
            }
            items.add(u);
        }
        return items;
    }

    /** The {@code * STATUS} line; runs on the blocking executor. */
    static String statusLine(ImapSession s, String name, Mailbox mb, List<String> items) throws Exception {
        List<MessageMeta> messages = mb.messages();
        StringBuilder sb = new StringBuilder("* STATUS ").append(Names.toWire(s, name)).append(" (");
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            long value = switch (item) {
                case "MESSAGES" -> messages.size();
                case "RECENT" -> recent(s, name);
                case "UIDNEXT" -> mb.uidNext();
                case "UIDVALIDITY" -> mb.uidValidity();
                case "UNSEEN" -> messages.stream().filter(m -> !m.flags().contains(Flag.SEEN)).count();
                case "HIGHESTMODSEQ" -> mb.highestModSeq();
                case "SIZE" -> messages.stream().mapToLong(MessageMeta::size).sum();
                case "DELETED" -> messages.stream().filter(m -> m.flags().contains(Flag.DELETED)).count(); // RFC 9051 6.3.11
                default -> throw new IllegalStateException(item);
            };
            sb.append(i == 0 ? "" : " ").append(item).append(' ').append(value);
        }
        return sb.append(')').toString();
    }

    private static long recent(ImapSession s, String name) {
        var sel = s.selected();
        return sel != null && sel.mailbox().name().equals(name) ? sel.recent().size() : 0;
    }
}
