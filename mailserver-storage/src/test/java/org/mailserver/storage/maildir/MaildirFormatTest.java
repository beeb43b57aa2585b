package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.Mailbox.StoreMode;
import org.mailserver.storage.MailboxListener;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.SpecialUse;
import org.mailserver.storage.StorageException;

/** The Maildir store's files on disk: names, Dovecot's formats, our index, other processes' changes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MaildirFormatTest {
    @TempDir
    Path tmp;

    private MaildirMailStoreProvider provider() {
        return new MaildirMailStoreProvider(Settings.of(Map.of("mail_location", "maildir:" + tmp + "/%d/%n", "mail_fsync", "never")));
    }

    private static final UserInfo ALICE = new UserInfo("alice@example.org", "1000", "1000", null, null, Map.of());

    private Path root() {
        return tmp.resolve("example.org/alice");
    }

    private static ByteArrayInputStream msg(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesDovecotLayoutAndFormats() throws Exception {
        try (MailStore store = provider().open(ALICE)) {
            store.create("Entw\u00fcrfe/Sub", Set.of());
            store.subscribe("Entw\u00fcrfe/Sub");
            try (Mailbox box = store.open("INBOX")) {
                box.append(msg("Subject: a\r\n\r\nbody\r\n"), Set.of(), Set.of(), null);
                box.append(msg("Subject: b\r\n\r\nbody\r\n"), Set.of(Flag.SEEN), Set.of("$Forwarded"), null);
            }
        }
        Path root = root();
        assertTrue(Files.exists(root.resolve(".Entw&APw-rfe.Sub/maildirfolder")));
        assertTrue(Files.isDirectory(root.resolve(".Sent/cur")));
        String subs = Files.readString(root.resolve("subscriptions"));
        assertTrue(subs.startsWith("V\t2\n\n"), subs);
        assertTrue(subs.contains("\nEntw&APw-rfe\tSub\n"), subs);
        assertTrue(subs.contains("\nINBOX\n"), subs);
        List<String> fresh = names(root.resolve("new"));
        assertEquals(1, fresh.size());
        // "Subject: a\n\nbody\n" is 17 bytes with LF, 20 with CRLF.
        assertTrue(fresh.get(0).matches("\\d+\\.M\\d+P\\d+Q\\d+\\.[^,]+,S=17,W=20"), fresh.get(0));
        List<String> cur = names(root.resolve("cur"));
        assertTrue(cur.get(0).endsWith(",S=17,W=20:2,Sa"), cur.get(0));
        assertEquals("0 $Forwarded\n", Files.readString(root.resolve("dovecot-keywords")));
        List<String> uidlist = Files.readAllLines(root.resolve("dovecot-uidlist"));
        assertTrue(uidlist.get(0).matches("3 V\\d+ N\\d+ G[0-9a-f]{32}"), uidlist.get(0));
        assertEquals("1 :" + fresh.get(0), uidlist.get(1));
        assertEquals("2 :" + MaildirFileName.base(cur.get(0)), uidlist.get(2));
        assertEquals("Subject: a\n\nbody\n", Files.readString(root.resolve("new").resolve(fresh.get(0))));
    }

    /** What a read-write SELECT leaves for later (Mailbox.settleNewMessages): new/ emptied into cur/, as Dovecot does. */
    @Test
    void settlingMovesNewMessagesToCurInBatchesWithoutChangingWhatAClientSees() throws Exception {
        int fresh = MaildirMailbox.SETTLE_BATCH + 8;
        try (MailStore store = provider().open(ALICE)) {
            try (Mailbox box = store.open("INBOX")) {
                for (int i = 0; i < fresh; i++) {
                    box.append(msg("Subject: m" + i + "\r\n\r\nbody " + i + "\r\n"), Set.of(), Set.of(), null);
                }
                box.append(msg("Subject: flagged\r\n\r\nx\r\n"), Set.of(Flag.FLAGGED), Set.of(), null);
            }
            // Another process (a Dovecot beside us) moves one of them itself before we get to it
            String taken = names(root().resolve("new")).get(3);
            Files.move(root().resolve("new").resolve(taken), root().resolve("cur").resolve(taken + ":2,"));
            try (Mailbox box = store.open("INBOX")) {
                List<MessageMeta> before = box.messages();
                assertEquals(fresh + 1, box.recent().size());
                int[] asked = {0};
                assertFalse(box.settleNewMessages(() -> ++asked[0] > 1), "paused after one batch");
                assertEquals(fresh - 1 - MaildirMailbox.SETTLE_BATCH, names(root().resolve("new")).size());
                assertTrue(box.settleNewMessages(() -> false));
                assertEquals(List.of(), names(root().resolve("new")));
                List<String> cur = names(root().resolve("cur"));
                assertEquals(fresh + 1, cur.size());
                assertEquals(fresh, cur.stream().filter(n -> n.endsWith(":2,")).count(),
                    "every moved file gets an empty info part: " + cur);
                assertEquals(before, box.messages(), "UIDs and flags unchanged");
                assertEquals(fresh + 1, box.recent().size(), "\\Recent unchanged");
                for (MessageMeta m : before) {
                    assertTrue(new String(box.content(m.uid()), StandardCharsets.US_ASCII).startsWith("Subject: "));
                }
                box.store(List.of(before.get(0).uid()), StoreMode.ADD, Set.of(Flag.SEEN), Set.of(), 0);
                assertEquals(1, names(root().resolve("cur")).stream().filter(n -> n.endsWith(":2,S")).count());
                assertTrue(box.settleNewMessages(() -> true), "nothing left, so nothing to pause");
            }
        }
        // After a restart the index names the moved files: each is read without looking for it again
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertEquals(fresh + 1, box.messages().size());
            assertEquals(Set.of(), box.recent(), "the claim of \\Recent was kept");
            MaildirFolder f = ((MaildirMailStore) store).acquireFolder("INBOX");
            try {
                f.lock();
                try {
                    assertTrue(f.fileOf.values().stream().allMatch(rel -> rel.startsWith("cur/")), f.fileOf.toString());
                } finally {
                    f.unlock();
                }
            } finally {
                ((MaildirMailStore) store).releaseFolder(f);
            }
            for (MessageMeta m : box.messages()) {
                assertTrue(new String(box.content(m.uid()), StandardCharsets.US_ASCII).startsWith("Subject: "));
            }
        }
    }

    /** Idle folder states are bounded by the messages they hold, not only by their number. */
    @Test
    void idleFolderStatesOverTheMessageBudgetAreDroppedLeastRecentlyUsedFirst() throws Exception {
        MaildirMailStoreProvider provider = provider();
        provider.idleMessageBudget = 25;
        try (MailStore store = provider.open(ALICE)) {
            store.create("A", Set.of());
            store.create("B", Set.of());
            try (Mailbox a = store.open("A"); Mailbox b = store.open("B"); Mailbox inbox = store.open("INBOX")) {
                for (int i = 0; i < 20; i++) {
                    a.append(msg("Subject: a" + i + "\r\n\r\nx\r\n"), Set.of(), Set.of(), null);
                    b.append(msg("Subject: b" + i + "\r\n\r\nx\r\n"), Set.of(), Set.of(), null);
                    inbox.append(msg("Subject: i" + i + "\r\n\r\nx\r\n"), Set.of(), Set.of(), null);
                }
                a.close(); // idle: 20 messages, within the budget
                assertEquals(3, provider.residentFolders());
                b.close(); // idle: 40, over it: A, released first, goes
                assertEquals(2, provider.residentFolders(), "A dropped, B kept, INBOX in use");
                // A folder in use stays whatever it holds; B is the only idle one and fits
                assertEquals(20, inbox.messages().size());
            }
            assertEquals(1, provider.residentFolders(), "INBOX released last: B dropped to fit the budget");
            try (Mailbox a = store.open("A")) {
                assertEquals(20, a.messages().size(), "a dropped state is loaded again from its index");
                assertEquals("Subject: a0\r\n\r\nx\r\n",
                    new String(a.content(a.messages().get(0).uid()), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void readsAnExistingDovecotMaildir() throws Exception {
        Path root = root();
        for (String d : List.of("cur", "new", "tmp")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("dovecot-uidlist"),
            "3 V1700000000 N12 G0123456789abcdef0123456789abcdef\n5 :1700000000.M1P1.host,S=12,W=14\n9 :1700000001.M2P1.host\n");
        Files.writeString(root.resolve("dovecot-keywords"), "0 $Label1\n1 Junk\n");
        Files.writeString(root.resolve("cur/1700000000.M1P1.host,S=12,W=14:2,FSb"), "Subject: x\n\n");
        Path second = root.resolve("new/1700000001.M2P1.host");
        Files.writeString(second, "Subject: y\n\nz\n");
        Files.setLastModifiedTime(second, FileTime.from(Instant.parse("2023-11-14T22:13:21Z")));
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertEquals(1700000000L, box.uidValidity());
            assertEquals(12, box.uidNext());
            List<MessageMeta> all = box.messages();
            assertEquals(List.of(5L, 9L), all.stream().map(MessageMeta::uid).toList());
            assertEquals(Set.of(Flag.FLAGGED, Flag.SEEN), all.get(0).flags());
            assertEquals(Set.of("Junk"), all.get(0).keywords());
            assertEquals(14, all.get(0).size());
            assertEquals(17, all.get(1).size(), "vsize computed from the file when W= is missing");
            assertEquals(Instant.parse("2023-11-14T22:13:21Z"), all.get(1).internalDate());
            assertEquals(Set.of(9L), box.recent(), "only mail in new/ is recent on a cold open");
            long uid = box.append(msg("Subject: n\r\n\r\n"), Set.of(), Set.of(), null).uid();
            assertEquals(12, uid, "UIDs continue from N, never below it");
        }
    }

    @Test
    void warmOpenUsesTheIndexWithoutReadingOrStattingMessages() throws Exception {
        Path root = root();
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("new"));
        Files.createDirectories(root.resolve("cur"));
        for (int i = 0; i < 20; i++) {
            Path p = root.resolve("cur/17000000" + (10 + i) + ".M" + i + "P1.host:2,S");
            Files.writeString(p, "Subject: " + i + "\n\nbody\n");
            Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_600_000_000L + i)));
        }
        List<MessageMeta> cold;
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            cold = box.messages();
            assertEquals(20, cold.size());
        }
        // Sabotage the files: a new JVM-level provider that read or stat'ed them would see other sizes and dates.
        try (Stream<Path> s = Files.list(root.resolve("cur"))) {
            for (Path p : s.toList()) {
                Files.writeString(p, "");
                Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
            }
        }
        Files.setLastModifiedTime(root.resolve("cur"), FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(root.resolve("new"), FileTime.from(Instant.now().minusSeconds(60)));
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertEquals(cold, box.messages());
        }
    }

    @Test
    void coldOpenOfManyFilesTakesEachDateFromItsOwnFileInNewAndCur() throws Exception {
        // Over 256 new files: the parallel stat path, relative to the open cur/ and new/ handles.
        Path root = root();
        for (String d : List.of("cur", "new", "tmp")) {
            Files.createDirectories(root.resolve(d));
        }
        int n = 600;
        for (int i = 0; i < n; i++) {
            String base = "17000" + (10000 + i) + ".M" + i + "P7.host,S=12";
            Path p = root.resolve(i % 2 == 0 ? "cur/" + base + ":2,S" : "new/" + base);
            Files.writeString(p, "Subject: " + (char) ('a' + i % 26) + "\n\n");
            Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_500_000_000L + 7L * i)));
        }
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            List<MessageMeta> all = box.messages();
            assertEquals(n, all.size());
            for (int i = 0; i < n; i++) {
                MessageMeta m = all.get(i);
                assertEquals(Instant.ofEpochSecond(1_500_000_000L + 7L * i), m.internalDate(), "uid " + m.uid());
                assertEquals(i % 2 == 0 ? Set.of(Flag.SEEN) : Set.of(), m.flags());
                assertEquals(14, m.size(), "vsize read from the file: no W= in the name");
            }
        }
        assertTrue(Files.exists(root.resolve(MaildirIndex.FILE)), "the cold open wrote the index");
    }

    @Test
    void trustedStampsSkipTheListingButAChangeOnDiskIsStillSeen() throws Exception {
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            box.append(msg("Subject: 1\r\n\r\n"), Set.of(), Set.of(), null);
        }
        Path root = root();
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(root.resolve("cur"), old);
        Files.setLastModifiedTime(root.resolve("new"), old);
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertEquals(1, box.messages().size(), "scan with old stamps records them in the index");
        }
        Files.writeString(root.resolve("new/1700000099.M9P9.otherhost"), "Subject: 2\n\n");
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertEquals(2, box.messages().size(), "new/ changed: the index is not trusted blindly");
        }
    }

    /**
     * After a restart the cache comes from the index in bulk (PackedCache): its entries read back, a newer entry
     * wins over the loaded one, an expunged message's entry is gone, and a compaction keeps the loaded entries.
     */
    @Test
    void bulkLoadedCacheEntriesAfterARestart() throws Exception {
        List<Long> uids = new ArrayList<>();
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            for (int i = 0; i < 5; i++) {
                long uid = box.append(msg("Subject: " + i + "\r\n\r\n"), Set.of(), Set.of(), null).uid();
                uids.add(uid);
                box.putCache(uid, "hdr", new byte[] {(byte) i});
                box.putCache(uid, "struct", new byte[] {(byte) (10 + i), 1});
            }
        }
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertArrayEquals(new byte[] {2}, box.cached(uids.get(2), "hdr").orElseThrow());
            assertEquals(12, box.cachedAs(uids.get(2), "struct", v -> (int) v[0]).orElseThrow());
            assertTrue(box.cached(uids.get(2), "other").isEmpty());
            Mailbox.CacheSliceReader<byte[]> copy = (d, o, l) -> java.util.Arrays.copyOfRange(d, o, o + l);
            assertArrayEquals(new byte[] {12, 1}, box.cachedSlice(uids.get(2), "struct", copy).orElseThrow(), "in place");
            assertTrue(box.cachedSlice(uids.get(2), "other", copy).isEmpty());
            box.putCache(uids.get(1), "hdr", new byte[] {42});
            assertArrayEquals(new byte[] {42}, box.cached(uids.get(1), "hdr").orElseThrow(), "a newer entry wins");
            assertArrayEquals(new byte[] {42}, box.cachedSlice(uids.get(1), "hdr", copy).orElseThrow());
            box.store(List.of(uids.get(3)), StoreMode.ADD, Set.of(Flag.DELETED), Set.of(), 0);
            box.expunge(List.of(uids.get(3)));
            assertTrue(box.cached(uids.get(3), "hdr").isEmpty(), "expunged: no entry");
            MaildirFolder f = ((MaildirMailStore) store).acquireFolder("INBOX");
            f.lock();
            try {
                f.rewriteIndex(); // a compaction writes the loaded entries and the newer ones
            } finally {
                f.unlock();
                ((MaildirMailStore) store).releaseFolder(f);
            }
        }
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertArrayEquals(new byte[] {42}, box.cached(uids.get(1), "hdr").orElseThrow());
            assertArrayEquals(new byte[] {0}, box.cached(uids.get(0), "hdr").orElseThrow());
            assertArrayEquals(new byte[] {14, 1}, box.cached(uids.get(4), "struct").orElseThrow());
            assertTrue(box.cached(uids.get(3), "hdr").isEmpty());
        }
    }

    @Test
    void modSeqsAndCacheSurviveARestartAndACorruptIndexIsRebuilt() throws Exception {
        long uid;
        long hms;
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            uid = box.append(msg("Subject: a\r\n\r\n"), Set.of(), Set.of(), null).uid();
            box.store(List.of(uid), StoreMode.ADD, Set.of(Flag.FLAGGED), Set.of("k30"), 0);
            box.putCache(uid, "envelope", new byte[] {7});
            hms = box.highestModSeq();
        }
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertEquals(hms, box.highestModSeq());
            assertEquals(hms, box.messages().get(0).modSeq());
            assertArrayEquals(new byte[] {7}, box.cached(uid, "envelope").orElseThrow());
            assertTrue(box.expungedSince(1).isPresent());
        }
        Path index = root().resolve(MaildirIndex.FILE);
        byte[] data = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(data, data.length - 3), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            assertEquals(1, box.messages().size(), "torn tail dropped, rest kept");
            assertEquals(Set.of(Flag.FLAGGED), box.messages().get(0).flags());
        }
        Files.writeString(index, "garbage");
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            MessageMeta m = box.messages().get(0);
            assertEquals(uid, m.uid());
            assertEquals(Set.of(Flag.FLAGGED), m.flags());
            assertEquals(Set.of("k30"), m.keywords());
        }
    }

    @Test
    void changesByOtherProcessesArePickedUpOnSync() throws Exception {
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            long u1 = box.append(msg("Subject: 1\r\n\r\n"), Set.of(), Set.of(), null).uid();
            long u2 = box.append(msg("Subject: 2\r\n\r\n"), Set.of(), Set.of(), null).uid();
            List<String> events = new ArrayList<>();
            box.addListener(new MailboxListener() {
                @Override
                public void added(List<MessageMeta> messages) {
                    messages.forEach(m -> events.add("added " + m.uid()));
                }

                @Override
                public void flagsChanged(List<MessageMeta> messages) {
                    messages.forEach(m -> events.add("flags " + m.uid() + " " + m.flags()));
                }

                @Override
                public void expunged(List<Long> uids, long modSeq) {
                    events.add("expunged " + uids);
                }
            });
            Path root = root();
            String f1 = null;
            String f2 = null;
            for (String n : names(root.resolve("new"))) {
                if (Files.readString(root.resolve("new/" + n)).startsWith("Subject: 1")) {
                    f1 = n;
                } else {
                    f2 = n;
                }
            }
            // In a later time stamp tick than our own appends: a change in the same tick leaves the stamps as
            // they were and is found a second later (aChangeHiddenBehindUnchangedStampsIsFoundASecondLater).
            Thread.sleep(20);
            Files.writeString(root.resolve("dovecot-keywords"), "0 NewByOther\n");
            Files.move(root.resolve("new/" + f1), root.resolve("cur/" + f1 + ":2,Fa"));
            Files.delete(root.resolve("new/" + f2));
            Files.writeString(root.resolve("new/1700000099.M9P9.otherhost"), "Subject: 3\n\n");
            box.sync();
            assertEquals(List.of("expunged [" + u2 + "]", "added " + (u2 + 1), "flags " + u1 + " [FLAGGED]"), events);
            assertEquals(2, box.messages().size());
            assertEquals(Set.of("NewByOther"), box.messages().get(0).keywords(), "keyword numbered by another process");
            assertTrue(new String(box.open(u2 + 1).readAllBytes(), StandardCharsets.US_ASCII).equals("Subject: 3\r\n\r\n"));
        }
    }

    @Test
    void aChangeHiddenBehindUnchangedStampsIsFoundASecondLater() throws Exception {
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            box.append(msg("Subject: 1\r\n\r\n"), Set.of(), Set.of(), null);
            Path newDir = root().resolve("new");
            FileTime stamp = Files.getLastModifiedTime(newDir);
            // Another process delivers within the same coarse tick: its file is there, new/'s stamp unchanged.
            Files.writeString(newDir.resolve("1700000099.M9P9.otherhost"), "Subject: 2\n\n");
            Files.setLastModifiedTime(newDir, stamp);
            Thread.sleep(MaildirSync.DIRTY_RESCAN_MILLIS + 50);
            box.sync();
            assertEquals(2, box.messages().size(), "listed again: the stamps were too recent to be trusted");
        }
    }

    @Test
    void syncsAfterOurOwnFlagChangeListTheFolderAtMostOncePerSecond() throws Exception {
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            long uid = box.append(msg("Subject: 1\r\n\r\n"), Set.of(), Set.of(), null).uid();
            box.append(msg("Subject: 2\r\n\r\n"), Set.of(), Set.of(), null);
            MaildirFolder f = ((MaildirMailStore) store).acquireFolder("INBOX");
            try {
                box.store(List.of(uid), StoreMode.ADD, Set.of(Flag.SEEN), Set.of(), 0); // renames into cur/
                int before = f.listings;
                long t0 = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    box.sync(); // what 50 NOOPs do
                }
                long millis = (System.nanoTime() - t0) / 1_000_000;
                int listed = f.listings - before;
                // Listing on every sync while the stamps are recent made each NOOP cost 12 ms on 10,000 messages.
                assertTrue(listed <= 1 + millis / MaildirSync.DIRTY_RESCAN_MILLIS, listed + " listings in " + millis + " ms");
                Thread.sleep(MaildirSync.DIRTY_MILLIS + 50);
                box.sync();
                int afterWindow = f.listings;
                assertTrue(afterWindow > before + listed, "once the stamps are old, one more listing makes them trusted");
                box.sync();
                box.sync();
                assertEquals(afterWindow, f.listings, "trusted stamps: no listing");
                assertEquals(2, box.messages().size());
            } finally {
                ((MaildirMailStore) store).releaseFolder(f);
            }
        }
    }

    @Test
    void staleDotLockIsTakenOver() throws Exception {
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            Path lock = root().resolve("dovecot-uidlist.lock");
            Files.writeString(lock, "1:deadhost");
            Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(600)));
            box.append(msg("Subject: 1\r\n\r\n"), Set.of(), Set.of(), null);
            assertFalse(Files.exists(lock));
        }
    }

    @Test
    void freshDotLockOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = java.lang.management.ManagementFactory.getRuntimeMXBean().getName().split("@", 2)[1];
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            Path lock = root().resolve("dovecot-uidlist.lock");
            Files.writeString(lock, gone.pid() + ":" + host); // left by a kill -9 a moment ago
            long start = System.nanoTime();
            box.append(msg("Subject: 1\r\n\r\n"), Set.of(), Set.of(), null);
            assertFalse(Files.exists(lock));
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "no wait for the stale timeout");
        }
    }

    @Test
    void emptyDotLockLeftByAKillBetweenCreateAndWriteIsTakenOverWithoutTheFullTimeout() throws Exception {
        // DaemonCrashTest stall: kill -9 right after O_EXCL created dovecot-uidlist.lock, before the pid was
        // written. The empty lock named no owner, so every delivery to that mailbox waited 30 s and failed,
        // and the deliveries queued behind the folder lock took every local slot until the 2-minute stale time.
        try (MailStore store = provider().open(ALICE); Mailbox box = store.open("INBOX")) {
            Path lock = root().resolve("dovecot-uidlist.lock");
            Files.write(lock, new byte[0]);
            Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusMillis(DotLock.EMPTY_STALE_MILLIS + 1000)));
            long start = System.nanoTime();
            box.append(msg("Subject: 1\r\n\r\n"), Set.of(), Set.of(), null);
            assertFalse(Files.exists(lock));
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "no wait for the lock timeout");
            assertEquals(1, box.messages().size());
        }
    }

    @Test
    void aDotLockIsNeverVisibleWithoutItsOwnerAndIsANameForOneLongLivedSource() throws Exception {
        Path dir = root();
        Files.createDirectories(dir);
        Path target = dir.resolve("some-file");
        Path lockFile = dir.resolve("some-file.lock");
        String me = java.lang.management.ManagementFactory.getRuntimeMXBean().getName().replace('@', ':');
        Path source = dir.resolve("some-file.lock.tmp." + ProcessHandle.current().pid());
        Object inode;
        try (DotLock lock = DotLock.acquire(target, DotLock.SHORT_STALE_MILLIS)) {
            assertEquals(me, Files.readString(lockFile), "created with its owner in one step");
            assertTrue(Files.isSameFile(source, lockFile), "the lock is a second name of this process's source");
            assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(lockFile).toMillis() < 10_000, "fresh, not stale");
            inode = Files.getAttribute(lockFile, "unix:ino");
        }
        assertFalse(Files.exists(lockFile));
        assertEquals(me, Files.readString(source), "the source stays for the next lock");
        // An hour-old source must not make the next lock look stale to Dovecot or to us (the age is the mtime).
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(3600)));
        try (DotLock lock = DotLock.acquire(target, DotLock.SHORT_STALE_MILLIS)) {
            assertEquals(inode, Files.getAttribute(lockFile, "unix:ino"), "no new file per lock");
            assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(lockFile).toMillis() < 10_000);
            lock.replace("new contents\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), false);
        }
        assertEquals("new contents\n", Files.readString(target), "replace() published the contents");
        assertFalse(Files.exists(source), "replace() took the source's inode: its name went first");
        assertFalse(Files.exists(lockFile));
        try (DotLock lock = DotLock.acquire(target, DotLock.SHORT_STALE_MILLIS)) {
            assertEquals(me, Files.readString(lockFile), "a fresh source after a replace");
            assertFalse(Files.isSameFile(target, lockFile));
        }
        assertEquals("new contents\n", Files.readString(target), "the target is not the next lock's file");
    }

    @Test
    void theLinkSourcesOfDeadProcessesOfThisHostAreSweptWhenANewSourceIsMade() throws Exception {
        Path dir = root();
        Files.createDirectories(dir);
        String host = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        host = host.substring(host.indexOf('@') + 1);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path deadSource = dir.resolve("other.lock.tmp." + gone.pid());
        Path deadOldTemp = dir.resolve("other.lock.tmp." + gone.pid() + ".17");
        Path otherHost = dir.resolve("other.lock.tmp." + gone.pid() + ".18");
        Path liveSource = dir.resolve("other.lock.tmp." + ProcessHandle.current().parent().orElseThrow().pid());
        Files.writeString(deadSource, gone.pid() + ":" + host);
        Files.writeString(deadOldTemp, gone.pid() + ":" + host);
        Files.writeString(otherHost, gone.pid() + ":another-host.example");
        Files.writeString(liveSource, ProcessHandle.current().parent().orElseThrow().pid() + ":" + host);
        try (DotLock lock = DotLock.acquire(dir.resolve("other"), DotLock.SHORT_STALE_MILLIS)) {
            assertFalse(Files.exists(deadSource));
            assertFalse(Files.exists(deadOldTemp));
            assertTrue(Files.exists(otherHost), "another host's process: not ours to judge");
            assertTrue(Files.exists(liveSource), "a live process's source stays");
        }
    }

    @Test
    void mailLocationExpandsVariablesHomeAndUserdbOverride() throws Exception {
        UserInfo u = new UserInfo("bob@example.net", "1", "1", "/home/bob", null, Map.of());
        assertEquals(Path.of("/var/vmail/example.net/bob"), MailLocation.resolve("maildir:/var/vmail/%d/%n", u));
        assertEquals(Path.of("/home/bob/Maildir"), MailLocation.resolve("maildir:~/Maildir:LAYOUT=maildir++", u));
        assertEquals(Path.of("/srv/bob@example.net"), MailLocation.resolve("maildir:/srv/%u", u));
        assertEquals(Path.of("/etc/mailserver/data/mail/example.net/bob"),
            MailLocation.resolve("maildir:data/mail/%d/%n", u, Path.of("/etc/mailserver")), "relative to the config directory");
        UserInfo override = new UserInfo("bob@example.net", "1", "1", "/home/bob", "maildir:%h/Mail", Map.of());
        assertEquals(Path.of("/home/bob/Mail"), MailLocation.resolve("maildir:/var/vmail/%d/%n", override));
        UserInfo evil = new UserInfo("../../etc@example.net", "1", "1", null, null, Map.of());
        assertThrows(StorageException.class, () -> MailLocation.resolve("maildir:/var/vmail/%d/%n", evil));
        UserInfo evil2 = new UserInfo("x@..", "1", "1", null, null, Map.of());
        assertThrows(StorageException.class, () -> MailLocation.resolve("maildir:/var/vmail/%d/%n", evil2));
    }

    @Test
    void maildirsizeIsKeptAndRecalculatedWhenWrong() throws Exception {
        UserInfo limited = new UserInfo("alice@example.org", "1", "1", null, null, Map.of("quota_rule", "*:storage=1M:messages=10"));
        try (MailStore store = provider().open(limited); Mailbox box = store.open("INBOX")) {
            box.append(msg("Subject: a\r\n\r\n"), Set.of(), Set.of(), null);
            box.append(msg("Subject: b\r\n\r\n"), Set.of(), Set.of(), null);
            Path size = root().resolve("maildirsize");
            List<String> lines = Files.readAllLines(size);
            assertEquals("1048576S,10C", lines.get(0));
            assertEquals(2, store.quota().messages());
            assertEquals(24, store.quota().storageBytes(), "physical (LF) sizes, as Maildir++ counts");
            Files.writeString(size, "1048576S,10C\n999999 77\n-5 0\n");
            assertEquals(77, store.quota().messages(), "a plausible file is trusted");
            Files.writeString(size, "1S,1C\n999999 77\n");
            assertEquals(2, store.quota().messages(), "other limits in the header: recalculated");
            assertEquals(2, store.quota().messages());
            box.expunge(List.of(box.messages().get(0).uid()));
            assertEquals(1, store.quota().messages());
        }
    }

    @Test
    void specialUseGivenAtCreateIsListed() throws Exception {
        try (MailStore store = provider().open(ALICE)) {
            store.create("Flagged mail", Set.of(SpecialUse.FLAGGED));
            assertEquals(Set.of(SpecialUse.FLAGGED), store.list().stream()
                .filter(i -> i.name().equals("Flagged mail")).findFirst().orElseThrow().specialUse());
        }
        try (MailStore store = provider().open(ALICE)) {
            assertEquals(Set.of(SpecialUse.SENT), store.list().stream()
                .filter(i -> i.name().equals("Sent")).findFirst().orElseThrow().specialUse());
        }
    }
}
