package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;

/**
 * When the index log is compacted: only once overwritten records outnumber the live ones (messages, cache
 * entries, expunges) two to one, so a mailbox whose cache holds several entries per message is not rewritten
 * whole on every flag change.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MaildirIndexCompactionTest {
    @TempDir
    Path dir;

    private static MessageMeta meta(long uid, Set<Flag> flags, long modSeq) {
        return new MessageMeta(uid, flags, Set.of(), 100, Instant.ofEpochSecond(1_700_000_000L), modSeq);
    }

    @Test
    void aSnapshotWithCacheEntriesIsNotCompactedAgainUntilItsLogHasGrown() throws Exception {
        int n = 2000;
        MaildirIndex.Snapshot s = new MaildirIndex.Snapshot();
        s.uidValidity = 42;
        s.highestModSeq = 5;
        Map<Long, String> files = new HashMap<>();
        for (long uid = 1; uid <= n; uid++) {
            files.put(uid, "cur/" + uid + ".host:2,");
            s.entries.put(uid, new MaildirIndex.Entry(meta(uid, Set.of(), 1), files.get(uid)));
            s.cache.put(uid, new HashMap<>(Map.of("hdr", new byte[] {1}, "struct", new byte[] {2})));
        }
        MaildirIndex index = new MaildirIndex(dir, new FsyncPolicy(false));
        index.rewrite(s); // 1 + 2000 messages + 4000 cache entries: over 4096 records, three per message
        assertFalse(index.wantsCompaction(n), "a fresh snapshot is all live");
        MaildirIndex reloaded = new MaildirIndex(dir, new FsyncPolicy(false));
        assertNotNull(reloaded.load(42));
        assertFalse(reloaded.wantsCompaction(n), "nor when loaded by the next process");

        // a flag change of 100 messages at a time: no rewrite for a long while...
        Object inode = Files.readAttributes(dir.resolve(MaildirIndex.FILE), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        int changes = 0;
        while (!reloaded.wantsCompaction(n)) {
            List<MessageMeta> batch = new java.util.ArrayList<>();
            for (long uid = 1; uid <= 100; uid++) {
                batch.add(meta(uid, Set.of(Flag.SEEN), 10 + changes));
            }
            reloaded.putMessages(batch, files);
            reloaded.putState(10 + changes, 0, 0);
            changes++;
            assertTrue(changes < 1000, "compaction never asked for");
        }
        // ...until overwritten records are twice the live ones
        assertTrue(changes >= 100, "compaction asked for after only " + changes + " flag changes");
        assertEquals(inode, Files.readAttributes(dir.resolve(MaildirIndex.FILE), java.nio.file.attribute.BasicFileAttributes.class).fileKey());
    }
}
