package org.mailserver.storage.maildir;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.mailserver.storage.support.MailboxState;

/**
 * The shared state of one Maildir folder in this JVM (one per directory, held by the provider's
 * registry): the {@link MailboxState} every view reads, plus where each UID's file is, the folder's
 * {@link Uidlist}, {@link MaildirKeywords} and {@link MaildirIndex}. Everything here is guarded by
 * the state lock; cross-process exclusion is the uidlist dot-lock, taken inside the state lock.
 */
final class MaildirFolder extends MailboxState {
    final Path dir;
    final Path cur;
    final Path newDir;
    final Path tmp;
    final Uidlist uidlist;
    final MaildirKeywords keywords;
    final MaildirIndex index;
    final MaildirQuota quota;
    final FsyncPolicy fsync;
    /** UID to its file relative to {@link #dir}: {@code cur/NAME} or {@code new/NAME}. */
    final Map<Long, String> fileOf = new HashMap<>();
    /** What the last full scan saw, to skip the next one when nothing changed. */
    FileTime scannedCurMtime;
    FileTime scannedNewMtime;
    Object scannedUidlistKey;
    long scannedUidlistSize = -1;
    /**
     * Wall-clock time (ms) just before the stamps above were read for a full listing (or found equal to a
     * trusted index's): a listing that began {@link MaildirSync#DIRTY_MILLIS} after the newest stamp cannot
     * have missed a change hidden behind an unchanged time stamp. Our own changes leave it as it is.
     */
    long scanReadAt;
    /** Full listings made so far (tests check that a NOOP after a flag change does not list every time). */
    int listings;
    boolean loaded;
    /** Views and deliveries using this state; changed inside the provider's map, which guards it. */
    int users;
    /** When the last user let go (System.nanoTime), to drop the least recently used idle states first. */
    long releasedAt;

    MaildirFolder(String name, Path dir, FsyncPolicy fsync, MaildirQuota quota) {
        super(name, 0);
        this.dir = dir;
        this.cur = dir.resolve("cur");
        this.newDir = dir.resolve("new");
        this.tmp = dir.resolve("tmp");
        this.fsync = fsync;
        this.quota = quota;
        this.uidlist = new Uidlist(dir, fsync);
        this.keywords = new MaildirKeywords(dir, fsync);
        this.index = new MaildirIndex(dir, fsync);
    }

    Path pathOf(long uid) {
        String rel = fileOf.get(uid);
        return rel == null ? null : dir.resolve(rel);
    }

    /**
     * Writes the whole state as a fresh index file (first build, rebuild, compaction). It replaces the log,
     * records just appended included, so the state must already hold every change written to the log:
     * never call it between a change's file rename and the state's update (a restart would trust the
     * new file name paired with the old flags).
     */
    void rewriteIndex() {
        MaildirIndex.Snapshot s = new MaildirIndex.Snapshot();
        s.uidValidity = uidValidity();
        s.highestModSeq = highestModSeq();
        s.recentClaimed = recentClaimedUpTo();
        s.expungeFloor = expungeLogFloor();
        for (var m : view().values()) {
            s.entries.put(m.uid(), new MaildirIndex.Entry(m, fileOf.get(m.uid())));
        }
        s.expungeLog.putAll(expungeLog());
        s.cache.putAll(cacheEntries());
        s.packed = packedCache();
        index.rewrite(s);
    }

    /** Records the state header and compacts the log when it has grown; the state holds every change logged. */
    void indexState() {
        if (index.wantsCompaction(size())) {
            rewriteIndex();
        } else {
            index.putState(highestModSeq(), recentClaimedUpTo(), expungeLogFloor());
        }
    }
}
