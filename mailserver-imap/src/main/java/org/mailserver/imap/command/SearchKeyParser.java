package org.mailserver.imap.command;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SequenceSet;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.search.SearchKey;
import org.mailserver.imap.search.SearchKey.DateOp;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.Flag;

/**
 * Parses RFC 3501 6.4.4 search keys (plus RFC 7162 MODSEQ) into a {@link SearchKey}, resolving sequence sets
 * and UID sets against the session's view so that the evaluator sees only UIDs. Event loop.
 */
final class SearchKeyParser {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);

    private final RequestReader r;
    private final SelectedMailbox view;
    boolean usedModSeq;

    SearchKeyParser(RequestReader r, SelectedMailbox view) {
        this.r = r;
        this.view = view;
    }

    /** One or more keys separated by spaces, up to the end of the command. */
    SearchKey parseAll() throws SyntaxException {
        List<SearchKey> keys = new ArrayList<>();
        do {
            keys.add(key());
        } while (r.acceptSp());
        r.end();
        return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
    }

    SearchKey key() throws SyntaxException {
        if (r.accept('(')) {
            List<SearchKey> keys = new ArrayList<>();
            do {
                keys.add(key());
            } while (r.acceptSp());
            r.expect(')');
            return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        }
        int c = r.peek();
        if ((c >= '0' && c <= '9') || c == '*' || c == '$') {
            return uids(r.word(), false);
        }
        String name = r.atom().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.HasFlag(Flag.ANSWERED);
            case "DELETED" -> new SearchKey.HasFlag(Flag.DELETED);
            case "DRAFT" -> new SearchKey.HasFlag(Flag.DRAFT);
            case "FLAGGED" -> new SearchKey.HasFlag(Flag.FLAGGED);
            case "SEEN" -> new SearchKey.HasFlag(Flag.SEEN);
            case "UNANSWERED" -> not(new SearchKey.HasFlag(Flag.ANSWERED));
            case "UNDELETED" -> not(new SearchKey.HasFlag(Flag.DELETED));
            case "UNDRAFT" -> not(new SearchKey.HasFlag(Flag.DRAFT));
            case "UNFLAGGED" -> not(new SearchKey.HasFlag(Flag.FLAGGED));
            case "UNSEEN" -> not(new SearchKey.HasFlag(Flag.SEEN));
            case "RECENT" -> new SearchKey.Recent();
            case "NEW" -> new SearchKey.And(List.of(new SearchKey.Recent(), not(new SearchKey.HasFlag(Flag.SEEN))));
            case "OLD" -> not(new SearchKey.Recent());
            case "KEYWORD" -> new SearchKey.HasKeyword(arg(() -> r.atom()));
            case "UNKEYWORD" -> not(new SearchKey.HasKeyword(arg(() -> r.atom())));
            case "BEFORE" -> new SearchKey.InternalDate(DateOp.BEFORE, date());
            case "ON" -> new SearchKey.InternalDate(DateOp.ON, date());
            case "SINCE" -> new SearchKey.InternalDate(DateOp.SINCE, date());
            case "SENTBEFORE" -> new SearchKey.SentDate(DateOp.BEFORE, date());
            case "SENTON" -> new SearchKey.SentDate(DateOp.ON, date());
            case "SENTSINCE" -> new SearchKey.SentDate(DateOp.SINCE, date());
            case "LARGER" -> new SearchKey.Size(true, arg(r::number));
            case "SMALLER" -> new SearchKey.Size(false, arg(r::number));
            case "FROM", "TO", "CC", "BCC", "SUBJECT" ->
                new SearchKey.Header(name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT), arg(r::astring));
            case "HEADER" -> {
                String field = arg(r::astring);
                yield new SearchKey.Header(field, arg(r::astring));
            }
            case "BODY" -> new SearchKey.Body(arg(r::astring));
            case "TEXT" -> new SearchKey.Text(arg(r::astring));
            case "UID" -> uids(arg(r::word), true);
            case "NOT" -> {
                r.sp();
                yield not(key());
            }
            case "OR" -> {
                r.sp();
                SearchKey a = key();
                r.sp();
                yield new SearchKey.Or(a, key());
            }
            case "MODSEQ" -> {
                r.sp();
                if (r.peekIs('"')) { // entry-name entry-type-req: we keep one modseq per message
                    r.astring();
                    r.sp();
                    r.atom();
                    r.sp();
                }
                usedModSeq = true;
                yield new SearchKey.ModSeq(r.number());
            }
            default -> throw new SyntaxException("unknown search key " + name);
        };
    }

    private static SearchKey not(SearchKey k) {
        return new SearchKey.Not(k);
    }

    private SearchKey uids(String set, boolean uid) throws SyntaxException {
        return new SearchKey.InUids(new LinkedHashSet<>(MessageSets.resolve(view, SequenceSet.parse(set), uid)));
    }

    private LocalDate date() throws SyntaxException {
        String text = arg(r::astring);
        try {
            return LocalDate.parse(text, DATE);
        } catch (DateTimeParseException e) {
            throw new SyntaxException("Invalid search date " + text);
        }
    }

    private <T> T arg(Arg<T> a) throws SyntaxException {
        r.sp();
        return a.read();
    }

    private interface Arg<T> {
        T read() throws SyntaxException;
    }
}
