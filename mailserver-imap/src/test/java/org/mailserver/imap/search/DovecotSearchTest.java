package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.mime.FakeMailbox;
import org.mailserver.imap.mime.MessageLoader;
import org.mailserver.imap.search.SearchKey.DateOp;

/**
 * SEARCH over the 27 messages of {@code messages/} and {@code threads/} against the answers of Dovecot 2.3's
 * imap ({@code search/dovecot.golden}, made by {@code search/dovecot-search.sh} from {@code search/searches.txt}).
 * The keys below are written as the protocol layer's SearchKeyParser builds them, one per line of searches.txt.
 * Three SENT* answers deliberately differ from Dovecot, see {@link #DIVERGENCES}.
 */
@Timeout(10)
class DovecotSearchTest {
    private static final Instant SAVED = Instant.parse("2026-11-22T16:55:00Z");

    private static SearchKey h(String field, String value) {
        return new SearchKey.Header(field, value);
    }

    private static final List<SearchKey> KEYS = List.of(
        h("Subject", "kickoff"),
        h("Subject", "café"),
        h("From", "andré"),
        h("From", "example.com"),
        h("To", "team"),
        h("Cc", "bob"),
        h("Bcc", "c@a.test"),
        h("Message-ID", "@t>"),
        h("X-Nothing", ""),
        new SearchKey.Body("très bien"),
        new SearchKey.Body("Voilà"),
        new SearchKey.Body("Hello, Wörld"),
        new SearchKey.Body("PDF-1.4"),
        new SearchKey.Text("lunch"),
        new SearchKey.Text("Newfoundland"),
        new SearchKey.SentDate(DateOp.ON, LocalDate.of(2026, 3, 5)),
        new SearchKey.SentDate(DateOp.BEFORE, LocalDate.of(2026, 3, 3)),
        new SearchKey.SentDate(DateOp.SINCE, LocalDate.of(2026, 3, 6)),
        new SearchKey.Size(true, 700),
        new SearchKey.Not(h("Subject", "re")),
        new SearchKey.Or(h("From", "bob"), h("To", "bob")),
        new SearchKey.Body("original text"),
        h("Subject", ""),
        h("Content-Type", "multipart"),
        new SearchKey.Body("soft line break"),
        new SearchKey.Text("Original"),
        new SearchKey.SentDate(DateOp.ON, LocalDate.of(1969, 2, 13)),
        new SearchKey.Body("<p>caf"),
        new SearchKey.Body("epilogue"),
        new SearchKey.Body("This is a multi-part"),
        new SearchKey.Text("Summer report"),
        h("From", "Joe Q. Public"),
        h("To", "undisclosed"),
        h("Subject", "Fwd: Lunch"));

    /**
     * Where we answer differently on purpose. Dovecot treats a message without a Date: header as sent at the
     * epoch for SENT* (but uses the internal date for SORT); we use the internal date for both, as RFC 5256
     * 2.2 says for SORT (messages 6, 10, 11, 12 and 25 have no Date:, their internal date is November 2026).
     * Dovecot also does not read message 7's 13 Feb 1969 date (before its epoch, written with obsolete
     * folding and a comment); we do.
     */
    private static final java.util.Map<Integer, String> DIVERGENCES = java.util.Map.of(
        16, "* SEARCH 1 7 13 14 15 24 26",
        17, "* SEARCH 5 6 8 9 10 11 12 22 23 25 27",
        26, "* SEARCH 7");

    @Test
    void searchAnswersMatchDovecot() throws Exception {
        FakeMailbox box = new FakeMailbox();
        for (String dir : List.of("messages", "threads")) {
            int count = dir.equals("messages") ? DovecotGoldenTestNames.MESSAGES.size() : 15;
            for (int i = 0; i < count; i++) {
                String name = dir.equals("messages") ? DovecotGoldenTestNames.MESSAGES.get(i) + ".eml" : String.format("%02d.eml", i + 1);
                try (InputStream in = getClass().getResourceAsStream("/" + dir + "/" + name)) {
                    box.add(in.readAllBytes(), Set.of(), Set.of(), SAVED);
                }
            }
        }
        List<String> golden;
        try (InputStream in = getClass().getResourceAsStream("/search/dovecot.golden")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertEquals(KEYS.size(), golden.size());
        MimeSearchEvaluator eval = new MimeSearchEvaluator();
        SearchContext ctx = new SearchContext(StandardCharsets.UTF_8, Set.of());
        List<String> ours = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < KEYS.size(); i++) {
            List<Long> hits = eval.search(box, box.messages(), KEYS.get(i), ctx);
            ours.add(i + " " + ("* SEARCH " + hits.stream().map(String::valueOf).collect(Collectors.joining(" "))).strip());
            expected.add(i + " " + DIVERGENCES.getOrDefault(i, golden.get(i)));
        }
        MessageLoader.clearThread();
        assertEquals(expected, ours);
    }
}
