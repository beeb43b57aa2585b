package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.mime.FakeMailbox;
import org.mailserver.imap.mime.MessageLoader;
import org.mailserver.storage.MessageMeta;

/** The background build of the Subject index that SELECT of a large mailbox starts. */
@Timeout(20)
class IndexPrebuildTest {
    private final MimeSearchEvaluator eval = new MimeSearchEvaluator();
    private final SearchContext ctx = new SearchContext(StandardCharsets.UTF_8, Set.of());
    private FakeMailbox box;

    private static byte[] msg(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void fill() {
        FoldedHeaderIndex.clearAll();
        MessageLoader.clearThread();
        box = new FakeMailbox();
        box.add(msg("From: a@example.org\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus\n\tM\u00fcnchen\n\nx\n"));
        box.add(msg("From: b@example.org\n\nno subject\n"));
        for (int i = 0; i < 300; i++) {
            box.add(msg("From: robot" + i + "@example.com\nSubject: Report " + i + (i % 20 == 7 ? " xylophone" : "") + "\n\nfiller\n"));
        }
    }

    @AfterEach
    void forget() {
        FoldedHeaderIndex.clearAll();
        MessageLoader.clearThread();
    }

    private void warmCache(long upToUid) throws Exception {
        for (MessageMeta m : box.messages()) {
            if (m.uid() <= upToUid) {
                MessageLoader.header(box, m.uid());
            }
        }
    }

    private List<Long> search(String field, String value) throws Exception {
        return eval.search(box, box.messages(), new SearchKey.Header(field, value), ctx);
    }

    @Test
    void afterThePrebuildASearchReadsNeitherCacheNorFilesAndAnswersAlike() throws Exception {
        warmCache(Long.MAX_VALUE);
        List<String> needles = List.of("x", "XYLOPHONE", "report 7", "grüsse", "MÜNCHEN", "", "nothing");
        List<List<Long>> expected = new java.util.ArrayList<>();
        for (String n : needles) {
            expected.add(search("Subject", n)); // built by the searches themselves
        }
        FoldedHeaderIndex.clearAll();
        assertTrue(eval.prepare(box, () -> false).step(() -> false));
        assertEquals(302, FoldedHeaderIndex.of(box).column("subject").size);
        int opens = box.opens;
        int reads = box.cacheReads;
        for (int i = 0; i < needles.size(); i++) {
            assertEquals(expected.get(i), search("SUBJECT", needles.get(i)), needles.get(i));
        }
        assertEquals(opens, box.opens, "no file read");
        assertEquals(reads, box.cacheReads, "every value came from the prebuilt index");
        assertEquals(List.of(2L), eval.search(box, box.messages(), new SearchKey.Not(new SearchKey.Header("Subject", "")), ctx));
    }

    @Test
    void readsOnlyCachedSummariesAndLeavesTheRestToTheFirstSearch() throws Exception {
        warmCache(100);
        int opens = box.opens;
        assertEquals(100, IndexPrebuild.run(box, () -> false));
        assertEquals(opens, box.opens, "the background build opens no message file");
        List<Long> xylophones = new java.util.ArrayList<>();
        for (long uid = 3 + 7; uid < 303; uid += 20) {
            xylophones.add(uid); // robot i has UID i + 3
        }
        assertEquals(xylophones, search("Subject", "xylophone"));
        assertTrue(box.opens > opens, "the search computed the uncached messages from their files");
    }

    @Test
    void aMessageDeliveredAfterThePrebuildIsFoundAndAnExpungedOneIsNot() throws Exception {
        warmCache(Long.MAX_VALUE);
        assertEquals(302, IndexPrebuild.run(box, () -> false));
        MessageMeta late = box.add(msg("From: late@example.org\nSubject: Late XYLOPHONE news\n\nx\n"));
        box.vanish(10); // expunged by another session: its content and cache are gone
        List<MessageMeta> left = box.messages().stream().filter(m -> m.uid() != 10).toList();
        List<Long> hits = eval.search(box, left, new SearchKey.Header("Subject", "xylophone"), ctx);
        assertTrue(hits.contains(late.uid()), "delivered after the index was built: " + hits);
        assertTrue(!hits.contains(10L), "expunged: " + hits);
        assertEquals(15, hits.size()); // 15 before, one expunged, one delivered
        assertEquals(List.of(late.uid()), search("Subject", "late xylophone"));
    }

    @Test
    void aBuildCancelledBeforeItStartedPublishesNothingAndABuildRunsOnce() throws Exception {
        warmCache(Long.MAX_VALUE);
        assertEquals(0, IndexPrebuild.run(box, () -> true));
        assertEquals(0, FoldedHeaderIndex.of(box).column("Subject").size);
        assertEquals(302, IndexPrebuild.run(box, () -> false));
        assertEquals(0, IndexPrebuild.run(box, () -> false), "already built");
        FoldedHeaderIndex idx = FoldedHeaderIndex.of(box);
        assertTrue(idx.startBuild("Subject"));
        assertEquals(0, IndexPrebuild.run(box, () -> false), "another session's build runs");
        idx.endBuild("Subject");
    }

    @Test
    void aBuildPausesWhileOtherWorkWaitsAndResumesWhereItStopped() throws Exception {
        warmCache(Long.MAX_VALUE);
        IndexPrebuild work = new IndexPrebuild(box, () -> false);
        assertEquals(false, work.step(() -> true), "paused before any work");
        int[] looks = {0};
        assertEquals(false, work.step(() -> looks[0]++ > 1), "paused after one chunk");
        assertEquals(0, FoldedHeaderIndex.of(box).column("subject").size, "nothing published while paused");
        assertEquals(0, IndexPrebuild.run(box, () -> false), "claimed by the paused build");
        MessageMeta late = box.add(msg("From: late@example.org\nSubject: xylophone after the snapshot\n\nx\n"));
        assertTrue(work.step(() -> false));
        assertEquals(302, work.added());
        assertEquals(302, FoldedHeaderIndex.of(box).column("subject").size);
        List<Long> hits = search("Subject", "xylophone");
        assertEquals(16, hits.size());
        assertEquals(late.uid(), hits.get(hits.size() - 1), "delivered during the build: found by the search");
    }

    @Test
    void anAbandonedBuildHandsOverWhatItComputedAndReleasesItsClaim() throws Exception {
        warmCache(Long.MAX_VALUE);
        IndexPrebuild work = new IndexPrebuild(box, () -> false);
        int[] looks = {0};
        assertEquals(false, work.step(() -> looks[0]++ > 1), "paused after one chunk");
        work.abandon(); // e.g. the session left the mailbox
        assertTrue(work.step(() -> false), "an abandoned build stays finished");
        assertEquals(256, FoldedHeaderIndex.of(box).column("subject").size, "the first chunk was handed over");
        assertEquals(302 - 256, IndexPrebuild.run(box, () -> false), "the next build goes on from there");
        int reads = box.cacheReads;
        assertEquals(15, search("Subject", "xylophone").size());
        assertEquals(reads, box.cacheReads, "complete");
    }

    @Test
    void aSpeculativeBuildNeverCrowdsOutWhatSearchesUse() throws Exception {
        warmCache(Long.MAX_VALUE);
        FakeMailbox other = new FakeMailbox();
        int n = 400_000; // more than half of the budget, less than all of it
        long[] uids = new long[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            uids[i] = i + 1;
            values[i] = "subject " + i;
        }
        FoldedHeaderIndex.of(other).publish("subject", uids, values, n, new long[0], 0);
        long used = FoldedHeaderIndex.totalBytes();
        assertTrue(used > FoldedHeaderIndex.MAX_BYTES / 2 && used <= FoldedHeaderIndex.MAX_BYTES, "setup: " + used);
        assertEquals(0, IndexPrebuild.run(box, () -> false));
        assertEquals(n, FoldedHeaderIndex.of(other).column("subject").size, "nothing evicted");
        java.lang.ref.Reference.reachabilityFence(other);
    }
}
