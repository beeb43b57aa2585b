package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.FetchAttribute.Kind;
import org.mailserver.imap.fetch.MessageContentRenderer.RenderOptions;
import org.mailserver.imap.search.MimeSearchEvaluator;
import org.mailserver.imap.search.SearchContext;
import org.mailserver.imap.search.SearchKey;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MailboxListener;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.maildir.MaildirMailStoreProvider;

/**
 * Over the real Maildir store: the summaries land in its index ({@code mailserver.index}) and, after the
 * store is closed and opened again by a new provider, ENVELOPE, BODYSTRUCTURE, Thunderbird's header fetch
 * and a subject search are answered without opening one message file.
 */
@Timeout(20)
class MaildirStoreIntegrationTest {
    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        MessageLoader.clearThread();
    }

    private Settings settings() {
        return Settings.of(Map.of("mail_location", "maildir:" + tmp + "/%d/%n", "mail_fsync", "never"));
    }

    @Test
    void warmMaildirAnswersFromItsIndexAfterARestart() throws Exception {
        UserInfo alice = new UserInfo("alice@example.org", "1000", "1000", null, null, Map.of());
        MimeContentRenderer renderer = new MimeContentRenderer();
        FetchAttribute tb = new FetchAttribute(Kind.BODY_SECTION, new FetchAttribute.Section(List.of(),
            FetchAttribute.SectionText.HEADER_FIELDS, MimeContentRendererTest.THUNDERBIRD), null, true);
        List<String> cold = new ArrayList<>();
        try (MailStore store = new MaildirMailStoreProvider(settings()).open(alice); Mailbox box = store.open("INBOX")) {
            for (String name : CorpusNames.CORPUS) {
                box.append(new ByteArrayInputStream(DovecotGoldenTest.message(name)), Set.of(), Set.of(), Instant.parse("2026-03-01T00:00:00Z"));
            }
            for (MessageMeta m : box.messages()) {
                cold.add(render(renderer, box, m, FetchAttribute.simple(Kind.ENVELOPE)) + render(renderer, box, m, FetchAttribute.simple(Kind.BODYSTRUCTURE))
                    + render(renderer, box, m, tb));
            }
        }
        MessageLoader.clearThread();
        try (MailStore store = new MaildirMailStoreProvider(settings()).open(alice); Mailbox real = store.open("INBOX")) {
            CountingMailbox box = new CountingMailbox(real);
            List<String> warm = new ArrayList<>();
            for (MessageMeta m : box.messages()) {
                warm.add(render(renderer, box, m, FetchAttribute.simple(Kind.ENVELOPE)) + render(renderer, box, m, FetchAttribute.simple(Kind.BODYSTRUCTURE))
                    + render(renderer, box, m, tb));
            }
            List<Long> hits = new MimeSearchEvaluator().search(box, box.messages(), new SearchKey.Header("Subject", "lunch"),
                new SearchContext(StandardCharsets.UTF_8, Set.of()));
            assertEquals(cold, warm);
            assertEquals(1, hits.size());
            assertEquals(0, box.opens, "warm Maildir: no message file opened");
        }
    }

    private static String render(MimeContentRenderer r, Mailbox box, MessageMeta m, FetchAttribute a) throws Exception {
        return new String(r.render(box, m, a, RenderOptions.DEFAULT), StandardCharsets.ISO_8859_1);
    }

    /** Delegates to a real mailbox and counts {@link #open} calls. */
    private static final class CountingMailbox implements Mailbox {
        private final Mailbox d;
        int opens;

        CountingMailbox(Mailbox d) {
            this.d = d;
        }

        @Override public String name() { return d.name(); }
        @Override public long uidValidity() { return d.uidValidity(); }
        @Override public long uidNext() { return d.uidNext(); }
        @Override public long highestModSeq() { return d.highestModSeq(); }
        @Override public void sync() throws StorageException { d.sync(); }
        @Override public List<MessageMeta> messages() throws StorageException { return d.messages(); }
        @Override public Set<Long> recent() { return d.recent(); }
        @Override public long unseenCount() throws StorageException { return d.unseenCount(); }
        @Override public AppendResult append(InputStream c, Set<Flag> f, Set<String> k, Instant t) throws StorageException { return d.append(c, f, k, t); }
        @Override public InputStream open(long uid) throws StorageException { opens++; return d.open(uid); }
        @Override public StoreResult store(Collection<Long> u, StoreMode m, Set<Flag> f, Set<String> k, long s) throws StorageException { return d.store(u, m, f, k, s); }
        @Override public CopyResult copy(Collection<Long> u, String t) throws StorageException { return d.copy(u, t); }
        @Override public CopyResult move(Collection<Long> u, String t) throws StorageException { return d.move(u, t); }
        @Override public List<Long> expunge(Collection<Long> u) throws StorageException { return d.expunge(u); }
        @Override public Optional<List<Long>> expungedSince(long m) throws StorageException { return d.expungedSince(m); }
        @Override public Optional<byte[]> cached(long uid, String key) { return d.cached(uid, key); }
        @Override public void putCache(long uid, String key, byte[] value) { d.putCache(uid, key, value); }
        @Override public void addListener(MailboxListener l) { d.addListener(l); }
        @Override public void removeListener(MailboxListener l) { d.removeListener(l); }
        @Override public void close() { d.close(); }
    }
}
