package org.mailserver.imap.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mailserver.imap.mime.Address;
import org.mailserver.imap.mime.HeaderDecoder;
import org.mailserver.storage.StorageException;

/**
 * SORT (RFC 5256 3) with DISPLAYFROM / DISPLAYTO (RFC 5957): ARRIVAL (internal date), DATE (Date: in UTC,
 * else the internal date), SIZE, SUBJECT (base subject, i;ascii-casemap), FROM / TO / CC (mailbox part of
 * the first address, i;ascii-casemap), DISPLAYFROM / DISPLAYTO (decoded display name of the first address,
 * else its addr-spec, i;unicode-casemap), each optionally REVERSE; ties go by sequence number, i.e. the
 * input order (RFC 5256 3). Sort keys are computed once per message, from the cache when warm.
 */
public final class Sorter {

    private Sorter() {
    }

    static List<Long> sort(List<MessageFacts> messages, List<SortCriterion> criteria) throws StorageException {
        int n = messages.size();
        List<Object[]> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MessageFacts f = messages.get(i);
            Object[] k = new Object[criteria.size() + 1];
            for (int c = 0; c < criteria.size(); c++) {
                k[c] = key(f, criteria.get(c).key());
            }
            k[criteria.size()] = i;
            keys.add(k);
        }
        Comparator<Object[]> cmp = null;
        for (int c = 0; c < criteria.size(); c++) {
            final int idx = c;
            Comparator<Object[]> one = (a, b) -> compare(a[idx], b[idx]);
            if (criteria.get(c).reverse()) {
                one = one.reversed();
            }
            cmp = cmp == null ? one : cmp.thenComparing(one);
        }
        Comparator<Object[]> bySeq = Comparator.comparingInt(a -> (Integer) a[criteria.size()]);
        keys.sort(cmp == null ? bySeq : cmp.thenComparing(bySeq));
        List<Long> out = new ArrayList<>(n);
        for (Object[] k : keys) {
            out.add(messages.get((Integer) k[criteria.size()]).meta().uid());
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private static Comparable<?> key(MessageFacts f, SortCriterion.Key key) throws StorageException {
        return switch (key) {
            case ARRIVAL -> f.meta().internalDate();
            case DATE -> f.sentInstant();
            case SIZE -> f.meta().size();
            case SUBJECT -> TextFolding.asciiUpper(BaseSubject.of(f.raw("Subject")).base());
            case FROM -> TextFolding.asciiUpper(firstMailbox(f.raw("From")));
            case TO -> TextFolding.asciiUpper(firstMailbox(f.raw("To")));
            case CC -> TextFolding.asciiUpper(firstMailbox(f.raw("Cc")));
            case DISPLAYFROM -> TextFolding.fold(display(f.raw("From")));
            case DISPLAYTO -> TextFolding.fold(display(f.raw("To")));
        };
    }

    /** RFC 5256 3: the addr-mailbox of the first address, or "" when there is none. */
    static String firstMailbox(String raw) {
        for (Address a : Address.parseList(raw)) {
            if (a.host() != null) {
                return HeaderDecoder.decode(a.mailbox());
            }
        }
        return "";
    }

    /** RFC 5957 3: the decoded display name of the first address when non-empty, else its addr-spec. */
    static String display(String raw) {
        for (Address a : Address.parseList(raw)) {
            if (a.host() != null) {
                String name = a.name() == null ? "" : HeaderDecoder.decode(a.name()).strip();
                return name.isEmpty() ? HeaderDecoder.decode(a.addrSpec()) : name;
            }
        }
        return "";
    }
}
