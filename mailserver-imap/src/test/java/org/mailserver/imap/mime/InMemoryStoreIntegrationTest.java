package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.FetchAttribute.Kind;
import org.mailserver.imap.fetch.MessageContentRenderer.RenderOptions;
import org.mailserver.imap.search.MimeSearchEvaluator;
import org.mailserver.imap.search.SearchContext;
import org.mailserver.imap.search.SearchKey;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/** The renderer and the evaluator over the storage module's real in-memory store: the summary lands in its cache and outlives the view. */
@Timeout(10)
class InMemoryStoreIntegrationTest {

    @AfterEach
    void forget() {
        MessageLoader.clearThread();
    }

    @Test
    void summaryIsCachedInTheStoreAndServedToLaterViews() throws Exception {
        InMemoryMailStoreProvider provider = new InMemoryMailStoreProvider();
        UserInfo alice = new UserInfo("alice", "1000", "1000", null, null, Map.of());
        MimeContentRenderer renderer = new MimeContentRenderer();
        String expected;
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            for (String name : CorpusNames.CORPUS) {
                box.append(new ByteArrayInputStream(DovecotGoldenTest.message(name)), Set.of(), Set.of(), Instant.parse("2026-03-01T00:00:00Z"));
            }
            MessageMeta m = box.messages().get(2);
            expected = new String(renderer.render(box, m, FetchAttribute.simple(Kind.BODYSTRUCTURE), RenderOptions.DEFAULT),
                StandardCharsets.ISO_8859_1);
            assertTrue(box.cached(m.uid(), StructureSummary.CACHE_KEY).isPresent());
            assertTrue(box.cached(m.uid(), HeaderSummary.CACHE_KEY).isPresent());
        }
        MessageLoader.clearThread();
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            MessageMeta m = box.messages().get(2);
            assertTrue(box.cached(m.uid(), HeaderSummary.CACHE_KEY).isPresent(), "the cache outlives the view");
            assertEquals(expected, new String(StructureSummary.decode(box.cached(m.uid(), StructureSummary.CACHE_KEY).get()).bodyStructure(),
                StandardCharsets.ISO_8859_1));
            List<Long> hits = new MimeSearchEvaluator().search(box, box.messages(), new SearchKey.Header("Subject", "report"),
                new SearchContext(StandardCharsets.UTF_8, Set.of()));
            assertEquals(List.of(m.uid()), hits);
            for (MessageMeta each : box.messages()) {
                assertTrue(box.cached(each.uid(), HeaderSummary.CACHE_KEY).isPresent(), "searching cached every header summary");
            }
        }
    }
}
