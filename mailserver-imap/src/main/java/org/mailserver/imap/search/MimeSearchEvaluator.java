package org.mailserver.imap.search;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mailserver.imap.mime.Header;
import org.mailserver.imap.mime.HeaderDecoder;
import org.mailserver.imap.session.FairWorkPool;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * The MIME-aware SEARCH, SORT and THREAD evaluator (RFC 3501 6.4.4, RFC 9051 6.4.4, RFC 5256, RFC 5957,
 * RFC 7162 3.1.5), registered in {@code META-INF/services/org.mailserver.imap.search.SearchEvaluator} and
 * called by the protocol layer's SEARCH/SORT/THREAD commands on the blocking executor. Stateless;
 * thread-safe.
 *
 * <p>Keys are evaluated cheapest first inside AND (flags, sizes, dates and UIDs need only the index;
 * header keys on cached fields are answered from the mailbox's {@link FoldedHeaderIndex}, built from the
 * store's cache; BODY, TEXT and other headers open the file), so a search by subject over a warm
 * 10,000-message mailbox opens no file and, once the index holds the field, decodes and folds nothing. Matching is a substring match
 * after {@link TextFolding} on decoded text: RFC 2047 words in headers, base64/quoted-printable and the
 * declared charset in text parts. Dates: BEFORE/ON/SINCE use the internal date's day in UTC; SENT* use the
 * day written in the Date: header, ignoring its time and zone (RFC 3501 6.4.4), and fall back to the
 * internal date when Date: is missing or unreadable.
 */
public final class MimeSearchEvaluator implements SearchEvaluator {

    @Override
    public List<Long> search(Mailbox mailbox, List<MessageMeta> messages, SearchKey key, SearchContext context)
        throws StorageException {
        List<Long> out = new ArrayList<>();
        SearchKey plan = plan(key);
        Map<String, String> folded = new HashMap<>();
        HeaderColumns columns = new HeaderColumns(mailbox);
        MessageFacts f = new MessageFacts(mailbox, null); // one instance, reset per message: no churn
        for (MessageMeta m : messages) {
            FairWorkPool.yieldPoint(); // a cold search reads files: let other sessions' short work run
            if (matchesLive(f.reset(m), plan, context, folded, columns)) {
                out.add(m.uid());
            }
        }
        columns.publish(messages);
        return out;
    }

    @Override
    public List<Long> sort(Mailbox mailbox, List<MessageMeta> messages, List<SortCriterion> criteria, SearchKey key,
                           SearchContext context) throws StorageException {
        return Sorter.sort(withHeaders(matching(mailbox, messages, key, context)), criteria);
    }

    @Override
    public List<ThreadNode> thread(Mailbox mailbox, List<MessageMeta> messages, String algorithm, SearchKey key,
                                   SearchContext context) throws StorageException {
        List<MessageFacts> hits = withHeaders(matching(mailbox, messages, key, context));
        return switch (algorithm) {
            case "REFERENCES" -> Threader.references(hits);
            case "ORDEREDSUBJECT" -> Threader.orderedSubject(hits);
            default -> throw new StorageException(StorageError.BAD_PARAMS,
                "unknown THREAD algorithm " + algorithm);
        };
    }

    /** Builds the Subject column of the mailbox's {@link FoldedHeaderIndex} from cached summaries ({@link IndexPrebuild}). */
    @Override
    public BackgroundWork prepare(Mailbox mailbox, java.util.function.BooleanSupplier cancelled) {
        return new IndexPrebuild(mailbox, cancelled);
    }

    @Override
    public List<String> threadAlgorithms() {
        return List.of("ORDEREDSUBJECT", "REFERENCES");
    }

    private List<MessageFacts> matching(Mailbox mailbox, List<MessageMeta> messages, SearchKey key, SearchContext ctx)
        throws StorageException {
        SearchKey plan = plan(key);
        Map<String, String> folded = new HashMap<>();
        HeaderColumns columns = new HeaderColumns(mailbox);
        List<MessageFacts> out = new ArrayList<>();
        for (MessageMeta m : messages) {
            FairWorkPool.yieldPoint();
            MessageFacts f = new MessageFacts(mailbox, m);
            if (matchesLive(f, plan, ctx, folded, columns)) {
                out.add(f);
            }
        }
        columns.publish(messages);
        return out;
    }

    /** {@link #matches}, with a message expunged by another session meanwhile matching nothing. */
    private static boolean matchesLive(MessageFacts f, SearchKey plan, SearchContext ctx, Map<String, String> folded,
                                       HeaderColumns columns) throws StorageException {
        try {
            return matches(f, plan, ctx, folded, columns);
        } catch (StorageException e) {
            if (e.error() != StorageError.EXPUNGED && e.error() != StorageError.NOT_FOUND) {
                throw e;
            }
            return false; // expunged by another session while we searched: it cannot match any more
        }
    }

    /** Loads the cached header fields SORT and THREAD read, dropping messages expunged meanwhile. */
    private static List<MessageFacts> withHeaders(List<MessageFacts> hits) throws StorageException {
        List<MessageFacts> out = new ArrayList<>(hits.size());
        for (MessageFacts f : hits) {
            try {
                f.headerFor("Subject");
                out.add(f);
            } catch (StorageException e) {
                if (e.error() != StorageError.EXPUNGED && e.error() != StorageError.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** Reorders every AND so that keys answered from the index come first, then cached headers, then content. */
    static SearchKey plan(SearchKey key) {
        if (key instanceof SearchKey.And and) {
            List<SearchKey> keys = new ArrayList<>();
            for (SearchKey k : and.keys()) {
                keys.add(plan(k));
            }
            Map<SearchKey, Integer> cost = new IdentityHashMap<>();
            for (SearchKey k : keys) {
                cost.put(k, cost(k));
            }
            keys.sort(Comparator.comparingInt(cost::get));
            return new SearchKey.And(keys);
        }
        if (key instanceof SearchKey.Or or) {
            return new SearchKey.Or(plan(or.left()), plan(or.right()));
        }
        if (key instanceof SearchKey.Not not) {
            return new SearchKey.Not(plan(not.key()));
        }
        return key;
    }

    /** 0: index only; 1: cached header fields; 2: opens the message. */
    static int cost(SearchKey key) {
        if (key instanceof SearchKey.Header h) {
            return org.mailserver.imap.mime.HeaderSummary.covers(List.of(h.field())) ? 1 : 2;
        }
        if (key instanceof SearchKey.SentDate) {
            return 1;
        }
        if (key instanceof SearchKey.Body || key instanceof SearchKey.Text) {
            return 2;
        }
        if (key instanceof SearchKey.And and) {
            int c = 0;
            for (SearchKey k : and.keys()) {
                c = Math.max(c, cost(k));
            }
            return c;
        }
        if (key instanceof SearchKey.Or or) {
            return Math.max(cost(or.left()), cost(or.right()));
        }
        if (key instanceof SearchKey.Not not) {
            return cost(not.key());
        }
        return 0;
    }

    private static boolean matches(MessageFacts f, SearchKey key, SearchContext ctx, Map<String, String> folded,
                                   HeaderColumns columns) throws StorageException {
        MessageMeta m = f.meta();
        if (key instanceof SearchKey.All) {
            return true;
        } else if (key instanceof SearchKey.HasFlag fl) {
            return m.flags().contains(fl.flag());
        } else if (key instanceof SearchKey.HasKeyword k) {
            for (String kw : m.keywords()) {
                if (kw.equalsIgnoreCase(k.keyword())) {
                    return true;
                }
            }
            return false;
        } else if (key instanceof SearchKey.Recent) {
            return ctx.recent().contains(m.uid());
        } else if (key instanceof SearchKey.InUids u) {
            return u.uids().contains(m.uid());
        } else if (key instanceof SearchKey.InternalDate d) {
            return compare(m.internalDate().atZone(ZoneOffset.UTC).toLocalDate(), d.op(), d.date());
        } else if (key instanceof SearchKey.SentDate d) {
            LocalDate sent = MailDate.writtenDate(f.raw("Date"));
            if (sent == null) {
                sent = m.internalDate().atZone(ZoneOffset.UTC).toLocalDate();
            }
            return compare(sent, d.op(), d.date());
        } else if (key instanceof SearchKey.Size s) {
            return s.larger() ? m.size() > s.bytes() : m.size() < s.bytes();
        } else if (key instanceof SearchKey.ModSeq ms) {
            return m.modSeq() >= ms.modSeq();
        } else if (key instanceof SearchKey.Header h) {
            if (columns.indexed(h.field())) {
                return columns.matches(f, h.field(), fold(h.value(), folded)); // the mailbox's folded values
            }
            return headerMatches(f.headerFor(h.field()), h.field(), fold(h.value(), folded));
        } else if (key instanceof SearchKey.Body b) {
            return TextFolding.fold(f.bodyText()).contains(fold(b.value(), folded));
        } else if (key instanceof SearchKey.Text t) {
            String needle = fold(t.value(), folded);
            return TextFolding.fold(f.headerText()).contains(needle) || TextFolding.fold(f.bodyText()).contains(needle);
        } else if (key instanceof SearchKey.And a) {
            for (SearchKey k : a.keys()) {
                if (!matches(f, k, ctx, folded, columns)) {
                    return false;
                }
            }
            return true;
        } else if (key instanceof SearchKey.Or o) {
            return matches(f, o.left(), ctx, folded, columns) || matches(f, o.right(), ctx, folded, columns);
        } else if (key instanceof SearchKey.Not n) {
            return !matches(f, n.key(), ctx, folded, columns);
        }
        throw new IllegalArgumentException("unknown search key " + key);
    }

    /** RFC 3501 6.4.4 HEADER: the field exists and contains the string; an empty string matches any such field. */
    private static boolean headerMatches(Header h, String field, String needle) {
        for (String v : h.values(field)) {
            if (needle.isEmpty() || TextFolding.fold(HeaderDecoder.decode(v)).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static String fold(String s, Map<String, String> cache) {
        return cache.computeIfAbsent(s, TextFolding::fold);
    }

    private static boolean compare(LocalDate day, SearchKey.DateOp op, LocalDate ref) {
        return switch (op) {
            case BEFORE -> day.isBefore(ref);
            case ON -> day.isEqual(ref);
            case SINCE -> !day.isBefore(ref);
        };
    }
}
