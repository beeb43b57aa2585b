package org.mailserver.storage;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Mailbox.StoreMode;

/**
 * The per-message lookups IMAP uses so that a command costs in proportion to the messages it names
 * ({@link Mailbox#meta}, {@link Mailbox#messages(java.util.Collection)}, {@link Mailbox#firstUnseenUid},
 * {@link Mailbox#keywordsInUse}, {@link Mailbox#unseenCount}, {@link Mailbox#content}): run against every
 * store, they must always agree with what {@link Mailbox#messages()} and {@link Mailbox#open} say.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
public abstract class MailboxLookupContractTest {
    @TempDir
    protected Path tmp;
    private MailStoreProvider provider;
    private final UserInfo alice = new UserInfo("alice@example.org", "1000", "1000", null, null, Map.of());

    /** A fresh provider storing under {@code root} (ignored by in-memory stores). */
    protected abstract MailStoreProvider newProvider(Settings settings) throws Exception;

    /** Whether a new provider on the same root sees the same mail (false for memory). */
    protected abstract boolean persistent();

    @BeforeEach
    void setUp() throws Exception {
        provider = newProvider(settings());
    }

    private Settings settings() {
        return Settings.of(Map.of("mail_location", "maildir:" + tmp + "/%d/%n", "mail_fsync", "never"));
    }

    private static long append(Mailbox box, String subject, Set<Flag> flags, Set<String> keywords) throws Exception {
        String m = "From: bob@example.org\r\nSubject: " + subject + "\r\n\r\nline one\r\nline two\r\n";
        return box.append(new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII)), flags, keywords, null).uid();
    }

    /** Every lookup against the same facts computed the slow way from the full list. */
    private static void assertAgrees(Mailbox box) throws Exception {
        List<MessageMeta> all = box.messages();
        long firstUnseen = all.stream().filter(m -> !m.flags().contains(Flag.SEEN)).mapToLong(MessageMeta::uid).findFirst().orElse(0);
        TreeSet<String> keywords = new TreeSet<>();
        all.forEach(m -> keywords.addAll(m.keywords()));
        assertArrayEquals(all.stream().mapToLong(MessageMeta::uid).toArray(), box.uids(), "uids");
        assertEquals(firstUnseen, box.firstUnseenUid(), "first unseen");
        assertEquals(keywords, box.keywordsInUse(), "keywords in use");
        assertEquals(all.stream().filter(m -> !m.flags().contains(Flag.SEEN)).count(), box.unseenCount(), "unseen count");
        for (MessageMeta m : all) {
            assertEquals(Optional.of(m), box.meta(m.uid()));
        }
    }

    @Test
    void metaAndMessagesByUidReturnOnlyPresentMessagesInUidOrder() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            long u1 = append(box, "1", Set.of(), Set.of());
            long u2 = append(box, "2", Set.of(Flag.SEEN), Set.of());
            long u3 = append(box, "3", Set.of(), Set.of("Junk"));
            box.expunge(List.of(u2));
            assertEquals(Optional.empty(), box.meta(u2));
            assertEquals(Optional.empty(), box.meta(9999));
            assertEquals(u3, box.meta(u3).orElseThrow().uid());
            assertEquals(Set.of("Junk"), box.meta(u3).orElseThrow().keywords());
            List<Long> asked = new ArrayList<>(List.of(u3, 9999L, u2, u1, u3)); // unordered, repeated, absent
            assertEquals(List.of(u1, u3), box.messages(asked).stream().map(MessageMeta::uid).toList());
            assertEquals(List.of(u1), box.messages(new TreeSet<>(List.of(u1, u2))).stream().map(MessageMeta::uid).toList());
            assertEquals(List.of(), box.messages(List.of()));
            assertEquals(box.messages(), box.messages(List.of(u1, u3)));
        }
    }

    @Test
    void largeSelectionsAgreeWithTheFullList() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            for (int i = 0; i < 150; i++) {
                append(box, "m" + i, Set.of(), Set.of());
            }
            List<MessageMeta> all = box.messages();
            box.expunge(List.of(all.get(10).uid(), all.get(11).uid()));
            all = box.messages();
            long top = all.get(all.size() - 1).uid();
            java.util.Random rnd = new java.util.Random(7);
            for (int round = 0; round < 20; round++) {
                TreeSet<Long> asked = new TreeSet<>();
                int n = 1 + rnd.nextInt(200);
                for (int i = 0; i < n; i++) {
                    asked.add(1 + (long) rnd.nextInt((int) top + 20)); // some expunged, some beyond UIDNEXT
                }
                List<MessageMeta> expected = all.stream().filter(m -> asked.contains(m.uid())).toList();
                assertEquals(expected, box.messages(asked), "as a sorted set: " + asked);
                assertEquals(expected, box.messages(new ArrayList<>(asked)), "as an ascending list");
                List<Long> shuffled = new ArrayList<>(asked);
                java.util.Collections.shuffle(shuffled, rnd);
                assertEquals(expected, box.messages(shuffled), "unordered");
                assertEquals(expected, box.messages(new java.util.LinkedHashSet<>(asked)), "another collection");
            }
            List<Long> every = all.stream().map(MessageMeta::uid).toList();
            assertEquals(all, box.messages(every));
        }
    }

    @Test
    void unseenAndKeywordsFollowAppendStoreExpungeAndReopen() throws Exception {
        long u1;
        long u2;
        long u3;
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            assertEquals(0, box.firstUnseenUid());
            assertEquals(Set.of(), box.keywordsInUse());
            assertArrayEquals(new long[0], box.uids());
            u1 = append(box, "1", Set.of(Flag.SEEN), Set.of("$Forwarded"));
            u2 = append(box, "2", Set.of(), Set.of("Junk", "$Forwarded"));
            u3 = append(box, "3", Set.of(), Set.of());
            assertEquals(u2, box.firstUnseenUid());
            assertEquals(Set.of("$Forwarded", "Junk"), box.keywordsInUse());
            assertAgrees(box);
            box.store(List.of(u2), StoreMode.ADD, Set.of(Flag.SEEN), Set.of(), 0);
            assertEquals(u3, box.firstUnseenUid());
            box.store(List.of(u1), StoreMode.REMOVE, Set.of(Flag.SEEN), Set.of("$Forwarded"), 0);
            assertEquals(u1, box.firstUnseenUid());
            assertEquals(Set.of("$Forwarded", "Junk"), box.keywordsInUse(), "u2 still has $Forwarded");
            box.store(List.of(u2), StoreMode.REPLACE, Set.of(Flag.SEEN), Set.of(), 0);
            assertEquals(Set.of(), box.keywordsInUse());
            assertAgrees(box);
            long[] before = box.uids();
            before[0] = -1; // the caller's copy
            assertArrayEquals(new long[] {u1, u2, u3}, box.uids());
            box.expunge(List.of(u1));
            assertArrayEquals(new long[] {u2, u3}, box.uids());
            assertEquals(u3, box.firstUnseenUid());
            assertEquals(1, box.unseenCount());
            box.store(List.of(u3), StoreMode.ADD, Set.of(Flag.SEEN), Set.of("Work"), 0);
            assertEquals(0, box.firstUnseenUid());
            assertAgrees(box);
            // another view of the same mailbox sees the same
            try (Mailbox other = store.open("INBOX")) {
                assertEquals(Set.of("Work"), other.keywordsInUse());
                assertAgrees(other);
            }
        }
        if (persistent()) {
            // a new process: the state comes back from the index / the disk
            MailStoreProvider fresh = newProvider(settings());
            try (MailStore store = fresh.open(alice); Mailbox box = store.open("INBOX")) {
                assertEquals(List.of(u2, u3), box.messages().stream().map(MessageMeta::uid).toList());
                assertEquals(Set.of("Work"), box.keywordsInUse());
                assertAgrees(box);
            }
        }
    }

    @Test
    void contentIsExactlyWhatOpenReads() throws Exception {
        try (MailStore store = provider.open(alice); Mailbox box = store.open("INBOX")) {
            long u = append(box, "crlf", Set.of(), Set.of());
            byte[] viaStream;
            try (var in = box.open(u)) {
                viaStream = in.readAllBytes();
            }
            byte[] whole = box.content(u);
            assertArrayEquals(viaStream, whole);
            assertEquals(box.meta(u).orElseThrow().size(), whole.length, "RFC822.SIZE is the CRLF size");
            whole[0] = 'X'; // the caller owns the array: changing it changes nothing stored
            assertArrayEquals(viaStream, box.content(u));
            box.expunge(List.of(u));
            StorageException e = assertThrows(StorageException.class, () -> box.content(u));
            assertEquals(StorageError.EXPUNGED, e.error());
        }
    }
}
