package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.mime.FakeMailbox;
import org.mailserver.imap.mime.MessageLoader;
import org.mailserver.storage.MessageMeta;

/** The per-mailbox index of folded header values behind header SEARCH keys. */
@Timeout(20)
class FoldedHeaderIndexTest {
    private final MimeSearchEvaluator eval = new MimeSearchEvaluator();
    private final SearchContext ctx = new SearchContext(StandardCharsets.UTF_8, java.util.Set.of());
    private FakeMailbox box;

    private static byte[] msg(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void fill() {
        FoldedHeaderIndex.clearAll();
        MessageLoader.clearThread();
        box = new FakeMailbox();
        box.add(msg("From: Alice <alice@example.org>\nTo: bob@example.com\nTo: Dora <dora@example.net>\n"
            + "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=\n\nbody one\n"));
        box.add(msg("From: bob@example.com\nCc: \nSubject: STRASSE works\n\nbody two\n"));
        box.add(msg("From: carol@example.com\n\nno subject at all\n"));
        for (int i = 0; i < 200; i++) {
            box.add(msg("From: robot" + i + "@example.com\nSubject: report " + i + ".\n\nfiller\n"));
        }
    }

    @AfterEach
    void forget() {
        FoldedHeaderIndex.clearAll();
        MessageLoader.clearThread();
    }

    private List<Long> search(SearchKey key) throws Exception {
        return eval.search(box, box.messages(), key, ctx);
    }

    private static SearchKey header(String field, String value) {
        return new SearchKey.Header(field, value);
    }

    @Test
    void answersLikeRfc3501SubstringSearchOnDecodedFoldedValues() throws Exception {
        assertEquals(List.of(2L), search(header("Subject", "straße"))); // folded: ß matches SS
        assertEquals(List.of(1L), search(header("Subject", "GRÜSSE"))); // decoded (RFC 2047) and folded
        assertEquals(List.of(1L), search(header("SUBJECT", "MÜNCHEN")));
        assertEquals(List.of(1L), search(header("To", "dora"))); // the second of two To: fields
        assertEquals(List.of(1L), search(header("to", "BOB@")));
        assertEquals(List.of(2L), search(header("Cc", ""))); // empty string: the field exists, even empty
        assertEquals(List.of(), search(header("Cc", "x")));
        assertEquals(203, search(header("From", "")).size());
        assertEquals(List.of(4L + 7), search(header("Subject", "report 7.")));
        assertEquals(List.of(3L), search(new SearchKey.Not(header("Subject", ""))));
        assertEquals(List.of(1L, 3L), search(new SearchKey.Or(header("To", "dora"), header("From", "carol"))));
    }

    @Test
    void aWarmIndexReadsNeitherFilesNorTheCache() throws Exception {
        search(header("Subject", "x")); // builds the column (from the files: the cache is cold)
        int opens = box.opens;
        int reads = box.cacheReads;
        FakeMailbox sameMessagesOtherView = box; // another session's view has the same sharedKey
        assertEquals(List.of(4L + 12), eval.search(sameMessagesOtherView, box.messages(), header("Subject", "REPORT 12."), ctx));
        assertEquals(opens, box.opens);
        assertEquals(reads, box.cacheReads);
        assertTrue(FoldedHeaderIndex.totalBytes() > 0);
    }

    @Test
    void newMessagesAreAddedAndExpungedOnesDropped() throws Exception {
        assertEquals(List.of(2L), search(header("Subject", "works")));
        box.add(msg("From: eve@example.com\nSubject: late works\n\nx\n"));
        assertEquals(List.of(2L, 204L), search(header("Subject", "works")));
        long before = FoldedHeaderIndex.totalBytes();
        // most messages expunged: the next search's candidates no longer list them
        List<MessageMeta> left = new ArrayList<>();
        for (MessageMeta m : box.messages()) {
            if (m.uid() <= 3 || m.uid() == 204) {
                left.add(m);
            } else {
                box.vanish(m.uid());
            }
        }
        assertEquals(List.of(2L, 204L), eval.search(box, left, header("Subject", "works"), ctx));
        assertTrue(FoldedHeaderIndex.totalBytes() < before / 4, "expunged entries dropped");
        assertEquals(List.of(1L, 2L, 3L, 204L), eval.search(box, left, new SearchKey.Or(header("Subject", ""),
            new SearchKey.Not(header("Subject", ""))), ctx));
    }

    @Test
    void aNewUidValidityStartsAFreshIndex() throws Exception {
        assertEquals(List.of(2L), search(header("Subject", "works")));
        MessageMeta two = box.messages().get(1);
        MessageMeta three = box.messages().get(2);
        box.uidValidity = 43; // the mailbox was recreated: UID 2 no longer names that message
        box.vanish(2);
        box.clearCache();
        assertEquals(List.of(), eval.search(box, List.of(two), header("Subject", "works"), ctx));
        SearchKey noSubject = new SearchKey.Not(header("Subject", ""));
        assertEquals(List.of(3L), eval.search(box, List.of(three), noSubject, ctx));
        int opens = box.opens;
        assertEquals(List.of(3L), eval.search(box, List.of(three), noSubject, ctx));
        assertEquals(opens, box.opens, "the fresh index serves the second search");
    }

    @Test
    void sortAndThreadStillWorkWithTheIndex() throws Exception {
        assertEquals(List.of(2L), eval.sort(box, box.messages(), List.of(new SortCriterion(SortCriterion.Key.ARRIVAL, false)),
            header("Subject", "works"), ctx));
    }

    @Test
    void memoryStaysWithinTheBudget() {
        FoldedHeaderIndex idx = FoldedHeaderIndex.of(box);
        int n = 200_000;
        long[] uids = new long[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            uids[i] = i + 1;
            values[i] = "a subject line of about sixty characters, padded to be long " + i;
        }
        idx.publish("subject", uids, values, n, new long[0], 0);
        FakeMailbox other = new FakeMailbox();
        FoldedHeaderIndex second = FoldedHeaderIndex.of(other);
        second.publish("subject", uids, values, n, new long[0], 0);
        assertTrue(FoldedHeaderIndex.totalBytes() <= FoldedHeaderIndex.MAX_BYTES, "over budget: " + FoldedHeaderIndex.totalBytes());
        assertEquals(0, idx.column("Subject").size, "the least recently used mailbox was dropped");
        assertEquals(n, second.column("Subject").size);
        java.lang.ref.Reference.reachabilityFence(other); // the index is keyed weakly by it
    }
}
