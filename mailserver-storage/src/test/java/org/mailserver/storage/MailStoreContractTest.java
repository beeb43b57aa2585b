package org.mailserver.storage;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Mailbox.StoreMode;
import org.mailserver.storage.support.StoreLocalDelivery;

/**
 * The contract of the storage API, run against every implementation (in memory, Maildir): the
 * IMAP and delivery code rely on exactly these behaviours.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
public abstract class MailStoreContractTest {
    @TempDir
    protected Path tmp;
    protected MailStoreProvider provider;
    protected UserInfo alice;

    /** A fresh provider storing under {@code root} (ignored by in-memory stores). */
    protected abstract MailStoreProvider newProvider(Path root, Settings settings) throws Exception;

    protected Settings settings(Map<String, String> extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("mail_location", "maildir:" + tmp + "/%d/%n", "mail_fsync", "never"));
        m.putAll(extra);
        return Settings.of(m);
    }

    @BeforeEach
    void setUp() throws Exception {
        provider = newProvider(tmp, settings(Map.of()));
        alice = user("alice@example.org", Map.of());
    }

    protected static UserInfo user(String name, Map<String, String> fields) {
        return new UserInfo(name, "1000", "1000", null, null, fields);
    }

    protected static InputStream msg(String subject) {
        return msgBytes(subject, "Hello\r\n");
    }

    protected static InputStream msgBytes(String subject, String body) {
        String m = "From: bob@example.org\r\nSubject: " + subject + "\r\n\r\n" + body;
        return new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII));
    }

    protected static String read(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void newUserGetsInboxAndSubscribedSpecialUseFolders() throws Exception {
        try (MailStore store = provider.open(alice)) {
            List<MailboxInfo> list = store.list();
            assertEquals("INBOX", list.get(0).name());
            Map<String, Set<SpecialUse>> uses = new java.util.HashMap<>();
            for (MailboxInfo i : list) {
                uses.put(i.name(), i.specialUse());
                assertTrue(i.subscribed(), i.name() + " subscribed");
            }
            assertEquals(Set.of(SpecialUse.DRAFTS), uses.get("Drafts"));
            assertEquals(Set.of(SpecialUse.SENT), uses.get("Sent"));
            assertEquals(Set.of(SpecialUse.TRASH), uses.get("Trash"));
            assertEquals(Set.of(SpecialUse.JUNK), uses.get("Junk"));
            assertEquals(Set.of(SpecialUse.ARCHIVE), uses.get("Archive"));
            assertTrue(store.subscriptions().containsAll(Set.of("INBOX", "Drafts", "Sent", "Trash", "Junk", "Archive")));
        }
    }

    @Test
    void appendAssignsAscendingUidsAndKeepsContentFlagsKeywordsAndDate() throws Exception {
        Instant date = Instant.parse("2024-03-01T10:15:30Z");
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            long next = box.uidNext();
            Mailbox.AppendResult a = box.append(msg("one"), Set.of(Flag.SEEN), Set.of("$Forwarded"), date);
            Mailbox.AppendResult b = box.append(msg("two"), Set.of(), Set.of(), null);
            assertEquals(next, a.uid());
            assertTrue(b.uid() > a.uid());
            assertEquals(box.uidValidity(), a.uidValidity());
            assertEquals(b.uid() + 1, box.uidNext());
            List<MessageMeta> all = box.messages();
            assertEquals(2, all.size());
            MessageMeta m = all.get(0);
            assertEquals(Set.of(Flag.SEEN), m.flags());
            assertEquals(Set.of("$Forwarded"), m.keywords());
            assertEquals(date, m.internalDate());
            String content = read(box.open(a.uid()));
            assertTrue(content.contains("Subject: one\r\n"), content);
            assertEquals(content.length(), m.size());
            assertEquals(1, box.unseenCount());
            assertThrows(StorageException.class, () -> box.open(9999));
        }
    }

    @Test
    void storeAppliesModesAndBumpsModSeqAndHonoursUnchangedSince() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            long u1 = box.append(msg("1"), Set.of(), Set.of(), null).uid();
            long u2 = box.append(msg("2"), Set.of(), Set.of(), null).uid();
            long before = box.highestModSeq();
            Mailbox.StoreResult r = box.store(List.of(u1, u2), StoreMode.ADD, Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("Junk"), 0);
            assertEquals(2, r.changed().size());
            assertTrue(box.highestModSeq() > before);
            long afterAdd = box.highestModSeq();
            for (MessageMeta m : box.messages()) {
                assertEquals(Set.of(Flag.SEEN, Flag.FLAGGED), m.flags());
                assertEquals(Set.of("Junk"), m.keywords());
                assertEquals(afterAdd, m.modSeq());
            }
            box.store(List.of(u1), StoreMode.REMOVE, Set.of(Flag.FLAGGED), Set.of("junk"), 0);
            MessageMeta m1 = box.messages().get(0);
            assertEquals(Set.of(Flag.SEEN), m1.flags());
            assertEquals(Set.of(), m1.keywords());
            box.store(List.of(u2), StoreMode.REPLACE, Set.of(Flag.ANSWERED), Set.of("$Label1"), 0);
            MessageMeta m2 = box.messages().get(1);
            assertEquals(Set.of(Flag.ANSWERED), m2.flags());
            assertEquals(Set.of("$Label1"), m2.keywords());
            // u1 changed after afterAdd, u2 too: UNCHANGEDSINCE afterAdd refuses both.
            Mailbox.StoreResult refused = box.store(List.of(u1, u2), StoreMode.ADD, Set.of(Flag.DELETED), Set.of(), afterAdd);
            assertEquals(List.of(u1, u2), refused.modified());
            assertFalse(box.messages().get(0).flags().contains(Flag.DELETED));
            Mailbox.StoreResult ok = box.store(List.of(u1), StoreMode.ADD, Set.of(Flag.DELETED), Set.of(), box.highestModSeq());
            assertEquals(List.of(), ok.modified());
            assertTrue(box.messages().get(0).flags().contains(Flag.DELETED));
            // A no-op store does not change the modseq.
            long hms = box.highestModSeq();
            box.store(List.of(u1), StoreMode.ADD, Set.of(Flag.DELETED), Set.of(), 0);
            assertEquals(hms, box.highestModSeq());
        }
    }

    @Test
    void changesReachEveryViewOfTheMailboxAtOnce() throws Exception {
        try (MailStore s1 = provider.open(alice); MailStore s2 = provider.open(alice);
             Mailbox v1 = s1.open("INBOX"); Mailbox v2 = s2.open("INBOX")) {
            List<String> events = new ArrayList<>();
            v1.addListener(new MailboxListener() {
                @Override
                public void added(List<MessageMeta> messages) {
                    events.add("added " + messages.get(0).uid());
                }

                @Override
                public void flagsChanged(List<MessageMeta> messages) {
                    events.add("flags " + messages.get(0).uid() + " " + messages.get(0).flags());
                }

                @Override
                public void expunged(List<Long> uids, long modSeq) {
                    events.add("expunged " + uids);
                }
            });
            long uid = v2.append(msg("x"), Set.of(), Set.of(), null).uid();
            v2.store(List.of(uid), StoreMode.ADD, Set.of(Flag.SEEN), Set.of(), 0);
            v2.expunge(List.of(uid));
            assertEquals(List.of("added " + uid, "flags " + uid + " [SEEN]", "expunged [" + uid + "]"), events);
            assertEquals(List.of(), v1.messages());
        }
    }

    @Test
    void deliveryThroughAnotherStoreHandleReachesAnOpenView() throws Exception {
        LocalDelivery lda = new StoreLocalDelivery(provider, settings(Map.of()));
        try (MailStore s1 = provider.open(alice); Mailbox v1 = s1.open("INBOX")) {
            List<Long> seen = new ArrayList<>();
            v1.addListener(new MailboxListener() {
                @Override
                public void added(List<MessageMeta> messages) {
                    messages.forEach(m -> seen.add(m.uid()));
                }
            });
            LocalDelivery.Result r = lda.deliver(alice, null, "bob@example.org", "alice@example.org", msg("hi"));
            assertTrue(r.ok(), r.toString());
            assertEquals(1, seen.size());
            String content = read(v1.open(seen.get(0)));
            assertTrue(content.startsWith("Return-Path: <bob@example.org>\r\nDelivered-To: alice@example.org\r\nFrom:"), content);
        }
    }

    @Test
    void concurrentAppendsAndFlagChangesKeepUidsUniqueAndTheFeedInOrder() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox watcher = store.open("INBOX")) {
            List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            watcher.addListener(new MailboxListener() {
                @Override
                public void added(List<MessageMeta> messages) {
                    messages.forEach(m -> seen.add(m.uid()));
                }
            });
            int threads = 4;
            int each = 25;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    try (MailStore s = provider.open(alice); Mailbox box = s.open("INBOX")) {
                        for (int i = 0; i < each; i++) {
                            box.append(msg("t" + thread + " m" + i), Set.of(), Set.of(), null);
                        }
                    }
                    return null;
                }));
            }
            futures.add(pool.submit(() -> {
                try (MailStore s = provider.open(alice); Mailbox box = s.open("INBOX")) {
                    for (int i = 0; i < 50; i++) {
                        List<Long> uids = box.messages().stream().map(MessageMeta::uid).toList();
                        box.store(uids, StoreMode.ADD, Set.of(Flag.SEEN), Set.of("k" + (i % 3)), 0);
                    }
                }
                return null;
            }));
            for (java.util.concurrent.Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<MessageMeta> all = watcher.messages();
            assertEquals(threads * each, all.size());
            assertEquals(threads * each, all.stream().map(MessageMeta::uid).distinct().count());
            assertEquals(all.stream().map(MessageMeta::uid).toList(), seen, "every view sees every append once, in UID order");
        }
    }

    @Test
    void expungeRemovesAndIsReportedByExpungedSince() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            long u1 = box.append(msg("1"), Set.of(), Set.of(), null).uid();
            long u2 = box.append(msg("2"), Set.of(), Set.of(), null).uid();
            long u3 = box.append(msg("3"), Set.of(), Set.of(), null).uid();
            long mark = box.highestModSeq();
            assertEquals(List.of(u1, u3), box.expunge(List.of(u3, u1, 4242L)));
            assertEquals(List.of(u2), box.messages().stream().map(MessageMeta::uid).toList());
            assertEquals(List.of(u1, u3), box.expungedSince(mark).orElseThrow());
            assertEquals(List.of(), box.expungedSince(box.highestModSeq()).orElseThrow());
            assertTrue(box.highestModSeq() > mark);
            assertEquals(List.of(), box.expunge(List.of(u1)));
            long u4 = box.append(msg("4"), Set.of(), Set.of(), null).uid();
            assertTrue(u4 > u3, "UIDs are never reused");
        }
    }

    @Test
    void copyAndMoveAssignNewUidsInTheTarget() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox inbox = store.open("INBOX"); Mailbox archive = store.open("Archive")) {
            long u1 = inbox.append(msg("1"), Set.of(Flag.FLAGGED), Set.of("k1"), Instant.parse("2020-01-01T00:00:00Z")).uid();
            long u2 = inbox.append(msg("2"), Set.of(), Set.of(), null).uid();
            Mailbox.CopyResult c = inbox.copy(List.of(u1), "Archive");
            assertEquals(archive.uidValidity(), c.targetUidValidity());
            assertEquals(List.of(u1), c.sourceUids());
            MessageMeta copied = archive.messages().get(0);
            assertEquals(c.targetUids().get(0), copied.uid());
            assertEquals(Set.of(Flag.FLAGGED), copied.flags());
            assertEquals(Set.of("k1"), copied.keywords());
            assertEquals(Instant.parse("2020-01-01T00:00:00Z"), copied.internalDate());
            assertTrue(read(archive.open(copied.uid())).contains("Subject: 1"));
            assertEquals(2, inbox.messages().size());

            Mailbox.CopyResult m = inbox.move(List.of(u1, u2), "Archive");
            assertEquals(List.of(u1, u2), m.sourceUids());
            assertEquals(0, inbox.messages().size());
            assertEquals(3, archive.messages().size());
            assertTrue(m.targetUids().get(0) > copied.uid());
            assertThrows(StorageException.class, () -> inbox.copy(List.of(u1), "Nope"));
        }
    }

    @Test
    void recentIsClaimedByTheFirstViewOnly() throws Exception {
        try (MailStore store = provider.open(alice)) {
            try (Mailbox box = store.open("INBOX")) {
                box.append(msg("1"), Set.of(), Set.of(), null);
            }
            try (Mailbox first = store.open("INBOX"); Mailbox second = store.open("INBOX")) {
                assertEquals(1, first.recent().size());
                assertEquals(0, second.recent().size());
            }
            try (Mailbox later = store.open("INBOX")) {
                assertEquals(0, later.recent().size());
            }
        }
        // Another provider instance is a restart for Maildir: the claim persists (in memory there is nothing to restart).
        try (MailStore store = newProvider(tmp, settings(Map.of())).open(alice); Mailbox box = store.open("INBOX")) {
            if (!box.messages().isEmpty()) {
                assertEquals(0, box.recent().size(), "\\Recent claimed before the restart");
            }
        }
    }

    @Test
    void aViewThatNeverAsksForRecentLeavesItToTheNextOne() throws Exception {
        try (MailStore store = provider.open(alice)) {
            try (Mailbox box = store.open("INBOX")) {
                box.append(msg("1"), Set.of(), Set.of(), null);
            }
            // IMAP STATUS or APPEND open a view without selecting the mailbox.
            try (Mailbox status = store.open("INBOX")) {
                assertEquals(1, status.messages().size());
            }
            try (Mailbox selected = store.open("INBOX")) {
                assertEquals(1, selected.recent().size());
            }
        }
    }

    @Test
    void mailboxManagementCreateRenameDeleteSubscribe() throws Exception {
        try (MailStore store = provider.open(alice)) {
            store.create("Projects/2024", Set.of());
            assertThrows(StorageException.class, () -> store.create("Projects/2024", Set.of()));
            MailboxInfo parent = store.list().stream().filter(i -> i.name().equals("Projects")).findFirst().orElseThrow();
            assertTrue(parent.hasChildren());
            store.create("Projects", Set.of());
            store.subscribe("Projects/2024");
            Mailbox view = store.open("Projects/2024");
            boolean[] gone = {false};
            view.addListener(new MailboxListener() {
                @Override
                public void mailboxGone() {
                    gone[0] = true;
                }
            });
            view.append(msg("p"), Set.of(), Set.of(), null);
            long validity = view.uidValidity();
            store.rename("Projects", "Work");
            assertTrue(gone[0]);
            assertThrows(StorageException.class, view::messages);
            view.close();
            Set<String> names = new java.util.HashSet<>();
            store.list().forEach(i -> names.add(i.name()));
            assertTrue(names.containsAll(Set.of("Work", "Work/2024")), names.toString());
            assertFalse(names.contains("Projects/2024"));
            assertTrue(store.subscriptions().contains("Work/2024"));
            try (Mailbox moved = store.open("Work/2024")) {
                assertEquals(1, moved.messages().size());
                assertEquals(validity, moved.uidValidity());
            }
            store.delete("Work/2024");
            assertThrows(StorageException.class, () -> store.open("Work/2024"));
            assertEquals(StorageError.NOT_POSSIBLE, assertThrows(StorageException.class, () -> store.delete("INBOX")).error());
            store.unsubscribe("Work/2024");
            assertFalse(store.subscriptions().contains("Work/2024"));
        }
    }

    @Test
    void renamingInboxMovesItsMessages() throws Exception {
        try (MailStore store = provider.open(alice)) {
            try (Mailbox inbox = store.open("inbox")) {
                inbox.append(msg("1"), Set.of(), Set.of(), null);
            }
            store.rename("INBOX", "Old");
            try (Mailbox inbox = store.open("INBOX"); Mailbox old = store.open("Old")) {
                assertEquals(0, inbox.messages().size());
                assertEquals(1, old.messages().size());
            }
        }
    }

    @Test
    void namesThatCouldEscapeAreRefused() throws Exception {
        try (MailStore store = provider.open(alice)) {
            for (String bad : List.of("..", "../x", "a/../b", "/etc", "a/", "~root", "a/~b", "a\u0000b", "a\nb",
                    "a\u0085b", "x".repeat(300), "a//b", "", "a.b", ".hidden", "a*", "a%", "\ud800x")) {
                StorageException e = assertThrows(StorageException.class, () -> store.create(bad, Set.of()), bad);
                assertEquals(StorageError.BAD_PARAMS, e.error(), bad);
            }
            store.create("Entw\u00fcrfe & \u00dcbersicht", Set.of());
            try (Mailbox m = store.open("Entw\u00fcrfe & \u00dcbersicht")) {
                assertEquals(0, m.messages().size());
            }
        }
    }

    @Test
    void cacheEntriesAreKeptPerMessage() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            long uid = box.append(msg("1"), Set.of(), Set.of(), null).uid();
            assertTrue(box.cached(uid, "envelope").isEmpty());
            box.putCache(uid, "envelope", new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, box.cached(uid, "envelope").orElseThrow());
            try (Mailbox other = store.open("INBOX")) {
                assertArrayEquals(new byte[] {1, 2, 3}, other.cached(uid, "envelope").orElseThrow());
            }
            box.expunge(List.of(uid));
            assertTrue(box.cached(uid, "envelope").isEmpty());
        }
    }

    @Test
    void cacheEntriesReadThroughAReader() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            long uid = box.append(msg("1"), Set.of(), Set.of(), null).uid();
            assertTrue(box.cachedAs(uid, "envelope", v -> v.length).isEmpty());
            byte[] put = {1, 2, 3};
            box.putCache(uid, "envelope", put);
            put[0] = 9; // the store keeps its own copy of what was put
            assertEquals(6, box.cachedAs(uid, "envelope", v -> v[0] + v[1] + v[2]).orElseThrow());
            assertTrue(box.cachedAs(uid, "envelope", v -> null).isEmpty()); // a reader that finds nothing
            assertTrue(box.cachedAs(uid, "other", v -> v.length).isEmpty());
            assertTrue(box.cachedAs(uid + 1, "envelope", v -> v.length).isEmpty());
        }
    }

    @Test
    void quotaCountsAndLimitsFromUserdb() throws Exception {
        UserInfo limited = user("carol@example.org", Map.of("quota_rule", "*:messages=2"));
        try (MailStore store = provider.open(limited); Mailbox box = store.open("INBOX")) {
            box.append(msg("1"), Set.of(), Set.of(), null);
            box.append(msg("2"), Set.of(), Set.of(), null);
            QuotaInfo q = store.quota();
            assertEquals(2, q.messages());
            assertEquals(2, q.messageLimit());
            assertTrue(q.storageBytes() > 0);
            StorageException e = assertThrows(StorageException.class, () -> box.append(msg("3"), Set.of(), Set.of(), null));
            assertEquals(StorageError.OVER_QUOTA, e.error());
            LocalDelivery lda = new StoreLocalDelivery(provider, settings(Map.of()));
            LocalDelivery.Result r = lda.deliver(limited, null, "", "carol@example.org", msg("4"));
            assertEquals(LocalDelivery.Result.Status.PERMANENT_FAILURE, r.status());
            assertEquals(552, r.smtpCode());
            assertEquals("5.2.2", r.enhancedCode());
            assertEquals(2, box.messages().size());
        }
    }

    @Test
    void aUserAtTheLimitCanStillMoveMailToTrash() throws Exception {
        UserInfo full = user("erin@example.org", Map.of("quota_rule", "*:messages=1"));
        try (MailStore store = provider.open(full); Mailbox inbox = store.open("INBOX"); Mailbox trash = store.open("Trash")) {
            long uid = inbox.append(msg("1"), Set.of(), Set.of(), null).uid();
            assertEquals(StorageError.OVER_QUOTA, assertThrows(StorageException.class, () -> inbox.copy(List.of(uid), "Trash")).error());
            inbox.move(List.of(uid), "Trash");
            assertEquals(0, inbox.messages().size());
            assertEquals(1, trash.messages().size());
            assertEquals(1, store.quota().messages());
        }
    }

    @Test
    void storageQuotaDefaultAndTemporaryStatusFromConfig() throws Exception {
        Settings s = settings(Map.of("quota_rule", "*:bytes=100", "quota_status_overquota", "452 4.2.2 Mailbox is full"));
        MailStoreProvider p = newProvider(tmp.resolve("q"), s);
        UserInfo dave = user("dave@example.org", Map.of());
        LocalDelivery lda = new StoreLocalDelivery(p, s);
        LocalDelivery.Result r = lda.deliver(dave, null, "", "dave@example.org", msgBytes("big", "x".repeat(200) + "\r\n"));
        assertEquals(LocalDelivery.Result.Status.TEMPORARY_FAILURE, r.status());
        assertEquals(452, r.smtpCode());
        try (MailStore store = p.open(dave)) {
            assertEquals(100, store.quota().storageLimit());
            assertEquals(0, store.quota().messages());
        }
    }

    @Test
    void deliveryToAMissingFolderFallsBackToInbox() throws Exception {
        LocalDelivery lda = new StoreLocalDelivery(provider, settings(Map.of()));
        assertTrue(lda.deliver(alice, "Junk", "", "alice@example.org", msg("spam")).ok());
        assertTrue(lda.deliver(alice, "NoSuchFolder", "x@y", "alice+x@example.org", msg("x")).ok());
        try (MailStore store = provider.open(alice); Mailbox junk = store.open("Junk"); Mailbox inbox = store.open("INBOX")) {
            assertEquals(1, junk.messages().size());
            assertEquals(1, inbox.messages().size());
            assertTrue(read(junk.open(junk.messages().get(0).uid())).startsWith("Return-Path: <>\r\n"));
        }
    }
}
