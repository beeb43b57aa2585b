package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.Mailbox.StoreMode;
import org.mailserver.storage.MessageMeta;

/**
 * The index log compacted by the very flag change or expunge that made it long enough: the snapshot must
 * hold that change. It once was taken from the state before the change was applied there, paired with the
 * file name already renamed, and replaced the log holding the change's own record; a restart then trusted
 * the index (its file name matched the disk) and showed the old flags: MaildirCrashTest's rare
 * "lost flag". Each step here is checked for a compaction (the index file replaced), and the store is
 * reopened right after the step that compacted, as after a kill -9 there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MaildirCompactionInChangeTest {
    @TempDir
    Path tmp;

    private MailStore open() throws Exception {
        MaildirMailStoreProvider provider = new MaildirMailStoreProvider(
            Settings.of(Map.of("mail_location", "maildir:" + tmp + "/%n", "mail_fsync", "never")));
        return provider.open(new UserInfo("u", "0", "0", null, null, Map.of()));
    }

    private Object indexKey() throws Exception {
        return Files.readAttributes(tmp.resolve("u/" + MaildirIndex.FILE), BasicFileAttributes.class).fileKey();
    }

    private static void append(Mailbox box, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            byte[] msg = ("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            box.append(new ByteArrayInputStream(msg), Set.of(), Set.of(), null);
        }
    }

    /** Sets or clears \Flagged and a keyword on uid 1 (two index records: message, state); whether it compacted. */
    private boolean toggle(Mailbox box, int step) throws Exception {
        Object before = indexKey();
        StoreMode mode = step % 2 == 0 ? StoreMode.ADD : StoreMode.REMOVE;
        List<MessageMeta> r = box.store(List.of(1L), mode, Set.of(Flag.FLAGGED), Set.of("$K"), 0).changed();
        assertEquals(mode == StoreMode.ADD, r.get(0).flags().contains(Flag.FLAGGED));
        return !before.equals(indexKey());
    }

    @Test
    void aFlagChangeThatCompactsTheIndexSurvivesARestart() throws Exception {
        MessageMeta last;
        try (MailStore store = open(); Mailbox box = store.open("INBOX")) {
            append(box, 3);
            int step = 0;
            while (!toggle(box, step)) {
                step++;
                assertTrue(step < 10_000, "the index was never compacted");
            }
            last = box.meta(1).orElseThrow();
        }
        try (MailStore store = open(); Mailbox box = store.open("INBOX")) {
            MessageMeta now = box.meta(1).orElseThrow();
            assertEquals(last.flags(), now.flags(), "flags after a restart");
            assertEquals(last.keywords(), now.keywords(), "keywords after a restart");
            assertEquals(last.modSeq(), now.modSeq());
        }
    }

    @Test
    void anExpungeThatCompactsTheIndexSurvivesARestart() throws Exception {
        long expungeModSeq;
        try (MailStore store = open(); Mailbox box = store.open("INBOX")) {
            append(box, 3);
            int step = 0;
            while (!toggle(box, step)) {
                step++;
                assertTrue(step < 10_000, "the index was never compacted");
            }
            // From one compaction to the next takes a fixed number of two-record steps; an expunge is two
            // records too (expunge, state), so it can be made the step that compacts.
            int cycle = 0;
            do {
                step++;
                cycle++;
                assertTrue(cycle < 10_000, "the index was never compacted again");
            } while (!toggle(box, step));
            for (int i = 1; i < cycle; i++) {
                assertFalse(toggle(box, ++step), "compacted early, at step " + i + " of " + cycle);
            }
            Object before = indexKey();
            assertEquals(List.of(2L), box.expunge(List.of(2L)));
            assertNotEquals(before, indexKey(), "the expunge did not compact the index");
            expungeModSeq = box.highestModSeq();
        }
        try (MailStore store = open(); Mailbox box = store.open("INBOX")) {
            assertTrue(box.meta(2).isEmpty());
            // RFC 7162 3.2.5.2: a client that saw the expunge's modseq is told nothing vanished since.
            assertEquals(List.of(), box.expungedSince(expungeModSeq).orElseThrow());
            assertEquals(List.of(2L), box.expungedSince(expungeModSeq - 1).orElseThrow());
            assertEquals(expungeModSeq, box.highestModSeq());
        }
    }
}
