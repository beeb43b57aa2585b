package org.mailserver.imap.command;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.search.SearchContext;
import org.mailserver.imap.search.SearchKey;
import org.mailserver.imap.search.SortCriterion;
import org.mailserver.imap.search.ThreadNode;
import org.mailserver.imap.session.ImapException;
import org.mailserver.imap.session.ImapSession;
import org.mailserver.imap.session.Responses;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.MessageMeta;

/**
 * SEARCH / UID SEARCH (RFC 3501 6.4.4) with ESEARCH return options MIN, MAX, COUNT, ALL (RFC 4731) and the
 * HIGHESTMODSEQ of a MODSEQ search (RFC 7162 3.1.5); SORT and THREAD (RFC 5256). Argument parsing is here;
 * evaluation is the {@link org.mailserver.imap.search.SearchEvaluator}'s, on the blocking executor.
 */
final class SearchCommand implements ImapCommand {
    enum Mode { SEARCH, SORT, THREAD }

    private final boolean uid;
    private final Mode mode;

    SearchCommand(boolean uid, Mode mode) {
        this.uid = uid;
        this.mode = mode;
    }

    @Override
    public CompletionStage<String> execute(ImapSession s, String tag, RequestReader args) throws Exception {
        SelectedMailbox view = s.selected();
        args.sp();
        List<String> returnOpts = null;
        List<SortCriterion> sort = null;
        String algorithm = null;
        Charset charset = StandardCharsets.UTF_8;
        if (mode == Mode.SEARCH) {
            if (args.acceptWord("RETURN")) {
                args.sp();
                returnOpts = new ArrayList<>();
                for (String o : args.list(RequestReader::atom)) {
                    String u = o.toUpperCase(Locale.ROOT);
                    if (!List.of("MIN", "MAX", "COUNT", "ALL", "SAVE").contains(u)) {
                        throw new SyntaxException("unknown SEARCH return option " + o);
                    }
                    returnOpts.add(u);
                }
                if (returnOpts.isEmpty()) {
                    returnOpts.add("ALL"); // RFC 4731 3.1
                }
                args.sp();
            }
            if (args.acceptWord("CHARSET")) {
                args.sp();
                charset = charset(args.astring());
                args.sp();
            }
        } else if (mode == Mode.SORT) {
            sort = new ArrayList<>();
            boolean reverse = false;
            for (String c : args.list(RequestReader::atom)) {
                String u = c.toUpperCase(Locale.ROOT);
                if (u.equals("REVERSE")) {
                    reverse = true;
                    continue;
                }
                try {
                    sort.add(new SortCriterion(SortCriterion.Key.valueOf(u), reverse));
                } catch (IllegalArgumentException e) {
                    throw new SyntaxException("unknown sort criterion " + c);
                }
                reverse = false;
            }
            args.sp();
            charset = charset(args.astring());
            args.sp();
        } else {
            algorithm = args.atom().toUpperCase(Locale.ROOT);
            if (!s.resources().searchEvaluator().threadAlgorithms().contains(algorithm)) {
                throw ImapException.bad("Unknown thread algorithm " + algorithm);
            }
            args.sp();
            charset = charset(args.astring());
            args.sp();
        }
        SearchKeyParser parser = new SearchKeyParser(args, view);
        SearchKey key = parser.parseAll();
        SearchContext ctx = new SearchContext(charset, new HashSet<>(view.recent()));
        var evaluator = s.resources().searchEvaluator();
        List<SortCriterion> criteria = sort;
        String alg = algorithm;
        List<String> opts = returnOpts == null && s.rev2() && mode == Mode.SEARCH ? List.of("ALL") : returnOpts; // RFC 9051 6.4.4: ESEARCH
        long[] known = view.uids(); // ascending
        if (opts != null && opts.contains("SAVE")) {
            view.saveResult(List.of()); // RFC 5182 2.1: a failed SEARCH ... RETURN (SAVE) leaves an empty result
        }
        return s.blocking(() -> {
            List<MessageMeta> candidates = known(view.mailbox().messages(), known);
            return switch (mode) {
                case SEARCH -> new Result(evaluator.search(view.mailbox(), candidates, key, ctx), null, candidates);
                case SORT -> new Result(evaluator.sort(view.mailbox(), candidates, criteria, key, ctx), null, candidates);
                case THREAD -> new Result(null, evaluator.thread(view.mailbox(), candidates, alg, key, ctx), candidates);
            };
        }).thenApply(r -> respond(s, tag, view, r, opts, parser.usedModSeq));
    }

    /** The messages (UID order) whose UIDs the client knows ({@code known} ascending): a merge, no boxing. */
    static List<MessageMeta> known(List<MessageMeta> messages, long[] known) {
        List<MessageMeta> out = new ArrayList<>(Math.min(messages.size(), known.length));
        int k = 0;
        for (MessageMeta m : messages) {
            long uid = m.uid();
            while (k < known.length && known[k] < uid) {
                k++;
            }
            if (k == known.length) {
                break;
            }
            if (known[k] == uid) {
                out.add(m);
            }
        }
        return out;
    }

    private record Result(List<Long> uids, List<ThreadNode> threads, List<MessageMeta> candidates) {
    }

    private String respond(ImapSession s, String tag, SelectedMailbox view, Result r, List<String> returnOpts, boolean modSeq) {
        String prefix = (uid ? "UID " : "");
        if (mode == Mode.THREAD) {
            StringBuilder sb = new StringBuilder("* THREAD ");
            for (ThreadNode n : r.threads()) {
                thread(sb, n, view, true);
            }
            s.writeLine(sb.toString().stripTrailing());
            return prefix + "Thread completed.";
        }
        List<Long> numbers = new ArrayList<>();
        for (long u : r.uids()) {
            long n = uid ? u : view.seqOf(u);
            if (n > 0) {
                numbers.add(n);
            }
        }
        long highest = 0;
        if (modSeq) {
            Set<Long> hit = new HashSet<>(r.uids());
            for (MessageMeta m : r.candidates()) {
                if (hit.contains(m.uid())) {
                    highest = Math.max(highest, m.modSeq());
                }
            }
        }
        if (mode == Mode.SORT) {
            s.writeLine("* SORT" + join(numbers) + (modSeq && !numbers.isEmpty() ? " (MODSEQ " + highest + ")" : ""));
            return prefix + "Sort completed.";
        }
        if (returnOpts != null) {
            List<Long> sortedUids = new ArrayList<>(r.uids());
            java.util.Collections.sort(sortedUids);
            if (returnOpts.contains("SAVE") && !sortedUids.isEmpty()) {
                // RFC 5182 2.4: with MIN and/or MAX, only those are saved
                boolean min = returnOpts.contains("MIN");
                boolean max = returnOpts.contains("MAX");
                List<Long> save = new ArrayList<>();
                if (min) {
                    save.add(sortedUids.get(0));
                }
                if (max) {
                    save.add(sortedUids.get(sortedUids.size() - 1));
                }
                view.saveResult(min || max ? save : sortedUids);
            }
            if (returnOpts.equals(List.of("SAVE"))) {
                return prefix + "Search completed."; // RFC 5182 2.1: SAVE alone returns no ESEARCH
            }
            StringBuilder sb = new StringBuilder("* ESEARCH (TAG ").append(org.mailserver.imap.fetch.ImapStrings.quote(tag)).append(')');
            if (uid) {
                sb.append(" UID");
            }
            List<Long> sorted = new ArrayList<>(numbers);
            java.util.Collections.sort(sorted);
            if (!sorted.isEmpty()) {
                for (String o : returnOpts) {
                    switch (o) {
                        case "MIN" -> sb.append(" MIN ").append(sorted.get(0));
                        case "MAX" -> sb.append(" MAX ").append(sorted.get(sorted.size() - 1));
                        case "ALL" -> sb.append(" ALL ").append(Responses.numberSet(sorted));
                        default -> { }
                    }
                }
            }
            if (returnOpts.contains("COUNT")) {
                sb.append(" COUNT ").append(sorted.size());
            }
            if (modSeq && !sorted.isEmpty()) {
                sb.append(" MODSEQ ").append(highest);
            }
            s.writeLine(sb.toString());
            return prefix + "Search completed.";
        }
        java.util.Collections.sort(numbers);
        s.writeLine("* SEARCH" + join(numbers) + (modSeq && !numbers.isEmpty() ? " (MODSEQ " + highest + ")" : ""));
        return prefix + "Search completed.";
    }

    private void thread(StringBuilder sb, ThreadNode n, SelectedMailbox view, boolean open) {
        sb.append('(');
        ThreadNode cur = n;
        boolean firstInList = true;
        while (true) {
            if (cur.uid() != 0) {
                long num = uid ? cur.uid() : view.seqOf(cur.uid());
                sb.append(firstInList ? "" : " ").append(num);
                firstInList = false;
            }
            if (cur.children().size() == 1) {
                cur = cur.children().get(0);
                continue;
            }
            // RFC 5256 5: thread-nested = 2*thread-list, with no space between the lists
            if (!firstInList && !cur.children().isEmpty()) {
                sb.append(' ');
            }
            for (ThreadNode child : cur.children()) {
                thread(sb, child, view, false);
            }
            break;
        }
        sb.append(')');
    }

    private static String join(List<Long> numbers) {
        StringBuilder sb = new StringBuilder();
        for (long n : numbers) {
            sb.append(' ').append(n);
        }
        return sb.toString();
    }

    private static Charset charset(String name) throws ImapException {
        String u = name.toUpperCase(Locale.ROOT);
        if (u.equals("UTF-8") || u.equals("US-ASCII")) {
            return u.equals("UTF-8") ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        }
        throw ImapException.no("BADCHARSET (US-ASCII UTF-8)", "Unsupported charset " + name); // RFC 3501 6.4.4
    }
}
