package org.mailserver.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * The protocol layer's fallback evaluator, used only when no MIME-aware {@link SearchEvaluator} is on the
 * class path: flags, sizes, dates, UID sets and MODSEQ exactly; HEADER/BODY/TEXT as a case-insensitive
 * substring of the raw message (no MIME decoding, no header unfolding); SENT* dates unsupported; SORT by
 * ARRIVAL and SIZE only; THREAD unsupported. Thread-safe (stateless).
 */
public final class BasicSearchEvaluator implements SearchEvaluator {

    @Override
    public List<Long> search(Mailbox mailbox, List<MessageMeta> messages, SearchKey key, SearchContext context)
        throws StorageException {
        List<Long> out = new ArrayList<>();
        for (MessageMeta m : messages) {
            if (matches(mailbox, m, key, context)) {
                out.add(m.uid());
            }
        }
        return out;
    }

    @Override
    public List<Long> sort(Mailbox mailbox, List<MessageMeta> messages, List<SortCriterion> criteria, SearchKey key,
                           SearchContext context) throws StorageException {
        List<MessageMeta> hits = new ArrayList<>();
        for (MessageMeta m : messages) {
            if (matches(mailbox, m, key, context)) {
                hits.add(m);
            }
        }
        Comparator<MessageMeta> cmp = (a, b) -> 0;
        for (SortCriterion c : criteria) {
            Comparator<MessageMeta> one = switch (c.key()) {
                case ARRIVAL -> Comparator.comparing(MessageMeta::internalDate);
                case SIZE -> Comparator.comparingLong(MessageMeta::size);
                default -> throw new StorageException(StorageError.NOT_POSSIBLE, "SORT by " + c.key() + " is not available");
            };
            cmp = cmp.thenComparing(c.reverse() ? one.reversed() : one);
        }
        hits.sort(cmp.thenComparingLong(MessageMeta::uid));
        return hits.stream().map(MessageMeta::uid).toList();
    }

    @Override
    public List<ThreadNode> thread(Mailbox mailbox, List<MessageMeta> messages, String algorithm, SearchKey key,
                                   SearchContext context) throws StorageException {
        throw new StorageException(StorageError.NOT_POSSIBLE, "THREAD is not available");
    }

    @Override
    public List<String> threadAlgorithms() {
        return List.of();
    }

    private boolean matches(Mailbox mailbox, MessageMeta m, SearchKey key, SearchContext ctx) throws StorageException {
        if (key instanceof SearchKey.All) {
            return true;
        } else if (key instanceof SearchKey.HasFlag f) {
            return m.flags().contains(f.flag());
        } else if (key instanceof SearchKey.HasKeyword k) {
            return m.keywords().stream().anyMatch(x -> x.equalsIgnoreCase(k.keyword()));
        } else if (key instanceof SearchKey.Recent) {
            return ctx.recent().contains(m.uid());
        } else if (key instanceof SearchKey.InUids u) {
            return u.uids().contains(m.uid());
        } else if (key instanceof SearchKey.InternalDate d) {
            LocalDate day = m.internalDate().atZone(ZoneOffset.UTC).toLocalDate();
            return switch (d.op()) {
                case BEFORE -> day.isBefore(d.date());
                case ON -> day.isEqual(d.date());
                case SINCE -> !day.isBefore(d.date());
            };
        } else if (key instanceof SearchKey.Size s) {
            return s.larger() ? m.size() > s.bytes() : m.size() < s.bytes();
        } else if (key instanceof SearchKey.ModSeq ms) {
            return m.modSeq() >= ms.modSeq();
        } else if (key instanceof SearchKey.Header h) {
            return rawContains(mailbox, m, h.value());
        } else if (key instanceof SearchKey.Body b) {
            return rawContains(mailbox, m, b.value());
        } else if (key instanceof SearchKey.Text t) {
            return rawContains(mailbox, m, t.value());
        } else if (key instanceof SearchKey.And a) {
            for (SearchKey k : a.keys()) {
                if (!matches(mailbox, m, k, ctx)) {
                    return false;
                }
            }
            return true;
        } else if (key instanceof SearchKey.Or o) {
            return matches(mailbox, m, o.left(), ctx) || matches(mailbox, m, o.right(), ctx);
        } else if (key instanceof SearchKey.Not n) {
            return !matches(mailbox, m, n.key(), ctx);
        }
        throw new StorageException(StorageError.NOT_POSSIBLE, "search key not available: " + key);
    }

    private static boolean rawContains(Mailbox mailbox, MessageMeta m, String needle) throws StorageException {
        try (InputStream in = mailbox.open(m.uid())) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            return text.contains(needle.toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "cannot read message", new UncheckedIOException(e));
        }
    }
}
