package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.mime.FakeMailbox;
import org.mailserver.imap.mime.MessageLoader;
import org.mailserver.imap.search.SortCriterion.Key;

/**
 * THREAD and SORT over {@code threads/NN.eml} against the answers of Dovecot 2.3's imap for the same
 * mailbox ({@code threads/dovecot.golden}, made by {@code threads/dovecot-threads.sh}). The messages cover
 * RFC 5256 3's cases: References and In-Reply-To chains, a missing parent with one and with two children,
 * subject grouping of replies and of equal non-reply subjects, a self-reference, a duplicate Message-ID,
 * a missing Message-ID and Date, "[Fwd: ...]", an unknown middle reference and an empty subject.
 */
@Timeout(10)
class DovecotThreadSortTest {
    /** doveadm save stamps the time of saving; every Date:-less fallback then sorts last, as here. */
    private static final Instant SAVED = Instant.parse("2026-11-22T16:50:00Z");

    private final MimeSearchEvaluator eval = new MimeSearchEvaluator();
    private final FakeMailbox box = new FakeMailbox();
    private final SearchContext ctx = new SearchContext(StandardCharsets.UTF_8, Set.of());
    private List<String> golden;

    @BeforeEach
    void load() throws Exception {
        for (int i = 1; i <= 15; i++) {
            try (InputStream in = getClass().getResourceAsStream(String.format("/threads/%02d.eml", i))) {
                box.add(in.readAllBytes(), Set.of(), Set.of(), SAVED);
            }
        }
        try (InputStream in = getClass().getResourceAsStream("/threads/dovecot.golden")) {
            golden = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
    }

    @AfterEach
    void forget() {
        MessageLoader.clearThread();
    }

    private String thread(String algorithm) throws Exception {
        return "* THREAD " + ThreadResponse.format(eval.thread(box, box.messages(), algorithm, new SearchKey.All(), ctx));
    }

    private String sort(SortCriterion... criteria) throws Exception {
        return "* SORT " + eval.sort(box, box.messages(), List.of(criteria), new SearchKey.All(), ctx).stream()
            .map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static SortCriterion asc(Key k) {
        return new SortCriterion(k, false);
    }

    private static SortCriterion rev(Key k) {
        return new SortCriterion(k, true);
    }

    @Test
    void threadReferencesMatchesDovecot() throws Exception {
        assertEquals(golden.get(0), thread("REFERENCES"));
    }

    @Test
    void threadOrderedSubjectMatchesDovecot() throws Exception {
        assertEquals(golden.get(1), thread("ORDEREDSUBJECT"));
    }

    @Test
    void sortMatchesDovecot() throws Exception {
        List<String> ours = new ArrayList<>();
        ours.add(sort(asc(Key.SUBJECT)));
        ours.add(sort(rev(Key.SUBJECT)));
        ours.add(sort(asc(Key.FROM)));
        ours.add(sort(asc(Key.TO)));
        ours.add(sort(asc(Key.CC)));
        ours.add(sort(asc(Key.DATE)));
        ours.add(sort(rev(Key.DATE)));
        ours.add(sort(asc(Key.SIZE), asc(Key.SUBJECT)));
        ours.add(sort(asc(Key.DISPLAYFROM)));
        ours.add(sort(asc(Key.DISPLAYTO)));
        ours.add(sort(asc(Key.SUBJECT), rev(Key.DATE)));
        assertEquals(golden.subList(2, golden.size()), ours);
    }

    @Test
    void threadAndSortOnlyTheMatchingMessagesAndOpenNoFileWhenWarm() throws Exception {
        thread("REFERENCES"); // warms the cache
        int opens = box.opens;
        MessageLoader.clearThread();
        List<ThreadNode> t = eval.thread(box, box.messages(), "REFERENCES",
            new SearchKey.Header("Subject", "project kickoff"), ctx);
        assertEquals("(1 (2 (3)(12))(14))", ThreadResponse.format(t));
        assertEquals(List.of(14L, 12L, 3L, 2L, 1L), eval.sort(box, box.messages(), List.of(rev(Key.DATE)),
            new SearchKey.Header("Subject", "kickoff"), ctx));
        assertEquals(opens, box.opens);
    }

    @Test
    void aLongReplyChainDoesNotOverflowTheStack() throws Exception {
        FakeMailbox chain = new FakeMailbox();
        int n = 10_000;
        for (int i = 1; i <= n; i++) {
            String m = "Subject: chain\r\nMessage-ID: <c" + i + "@t>\r\n" + (i > 1 ? "In-Reply-To: <c" + (i - 1) + "@t>\r\n" : "")
                + "Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nx\r\n";
            chain.add(m.getBytes(StandardCharsets.US_ASCII), Set.of(), Set.of(), SAVED);
        }
        // a 256 KB stack: a recursive walk 10,000 deep would overflow it
        String[] threads = new String[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                threads[0] = ThreadResponse.format(eval.thread(chain, chain.messages(), "REFERENCES", new SearchKey.All(), ctx));
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        StringBuilder expected = new StringBuilder("(");
        for (int i = 1; i <= n; i++) {
            expected.append(i == 1 ? "" : " ").append(i);
        }
        assertEquals(expected.append(')').toString(), threads[0]);
    }
}
