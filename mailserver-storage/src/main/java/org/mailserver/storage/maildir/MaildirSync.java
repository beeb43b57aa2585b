package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * Brings a {@link MaildirFolder}'s state in line with the disk: lists {@code new/} and {@code cur/}
 * (no message file is opened unless its name lacks {@code W=}), reads what {@code dovecot-uidlist}
 * gained, gives files without a UID the next UIDs under the uidlist dot-lock, and reports what
 * appeared, changed flags (renamed) or vanished to the listeners. The first sync of a folder starts
 * from {@link MaildirIndex}, so a warm open only stats directories. A sync is skipped when the
 * directories' and uidlist's stamps are those of the last scan and that scan began {@link #DIRTY_MILLIS}
 * after them. File system time stamps are coarse, so a change by another process in the same tick as the
 * last one leaves them unchanged; until a scan has begun that much later, a plain sync lists again at most
 * every {@link #DIRTY_RESCAN_MILLIS} (Dovecot's rule), so such a change is seen within about a second.
 * Caller holds the folder's state lock.
 */
final class MaildirSync {
    static final long DIRTY_MILLIS = 2000;
    /**
     * While a change could still hide behind the stamps, a plain {@link #sync} (NOOP, CHECK) lists the
     * folder again at most this often, as Dovecot does (MAILDIR_SYNC_SECS): listing on every NOOP for two
     * seconds after each flag change cost 12 ms per NOOP on a 10,000-message folder.
     */
    static final long DIRTY_RESCAN_MILLIS = 1000;

    private MaildirSync() {
    }

    /** Loads the folder on first use: index, then a full sync. */
    static void load(MaildirFolder f, UidValidityGenerator uidValidities) throws StorageException {
        if (f.loaded) {
            return;
        }
        f.uidlist.refresh();
        f.keywords.refresh();
        long uv = f.uidlist.uidValidity();
        MaildirIndex.Snapshot snap = uv == 0 ? null : f.index.load(uv);
        if (snap != null) {
            f.resetUidValidity(uv);
            List<MessageMeta> metas = new ArrayList<>(snap.entries.size());
            for (MaildirIndex.Entry e : snap.entries.values()) {
                metas.add(e.meta());
                f.fileOf.put(e.meta().uid(), e.file());
            }
            f.loadAscending(metas); // the index's entries come in UID order
            f.setHighestModSeq(snap.highestModSeq);
            f.setRecentClaimedUpTo(snap.recentClaimed);
            f.setExpungeLogFloor(snap.expungeFloor);
            f.expungeLog().putAll(snap.expungeLog);
            f.cacheEntries().putAll(snap.cache);
            f.loadPackedCache(snap.packed);
        }
        f.loaded = true;
        cleanTmp(f);
        boolean fresh = snap == null;
        long readAt = System.currentTimeMillis();
        MaildirScan.Stamps now = MaildirScan.stamps(f);
        if (snap != null && snap.stamps != null && now.trusted() && now.toIndex().equals(snap.stamps)) {
            // Nothing changed on disk since the scan the index recorded: the index is the folder.
            f.setUidNext(f.uidlist.nextUid());
            now.remember(f);
            f.scanReadAt = readAt;
            return;
        }
        sync(f, true, false, uidValidities);
        if (fresh) {
            // Without an index nothing tells which messages some session already saw; those in cur/ have
            // been seen by a client (Dovecot moves claimed \Recent mail there), those in new/ are recent.
            long claimed = 0;
            for (Map.Entry<Long, String> e : f.fileOf.entrySet()) {
                if (e.getValue().startsWith("cur/")) {
                    claimed = Math.max(claimed, e.getKey());
                }
            }
            f.setRecentClaimedUpTo(claimed);
            f.rewriteIndex();
        }
    }

    /** Files left in tmp/ by a crash are removed after 36 hours, Dovecot's rule (nothing newer: it may be in use). */
    private static void cleanTmp(MaildirFolder f) {
        long limit = System.currentTimeMillis() - 36L * 3600 * 1000;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.tmp)) {
            for (Path p : ds) {
                try {
                    // ctime, not mtime: a save in progress has set its mtime to the INTERNALDATE, maybe years ago.
                    Object ctime = Files.getAttribute(p, "unix:ctime");
                    long changed = ctime instanceof java.nio.file.attribute.FileTime t ? t.toMillis()
                        : Files.getLastModifiedTime(p).toMillis();
                    if (changed < limit) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    // gone meanwhile, not ours to delete, or no ctime here: leave it
                }
            }
        } catch (IOException e) {
            // no tmp/ (a foreign Maildir): nothing to clean
        }
    }

    /**
     * The cheap check used when a view is opened: lists the directories only when their stamps differ
     * from what this JVM last saw or wrote itself. A change by another process within the same time
     * stamp tick is found by the next {@link #sync} (IMAP NOOP, IDLE, CHECK), which honours the dirty window.
     */
    static void syncIfChanged(MaildirFolder f, UidValidityGenerator uidValidities) throws StorageException {
        if (MaildirScan.stamps(f).equalsScanned(f)) {
            return;
        }
        sync(f, true, false, uidValidities);
    }

    /** Whether the disk is as this JVM last saw it (so our own change can update the stamps). */
    static boolean unchangedSinceScan(MaildirFolder f) throws StorageException {
        return MaildirScan.stamps(f).equalsScanned(f);
    }

    /** Records the current stamps as seen, after a change of our own made on an unchanged folder. */
    static void rememberOwnChange(MaildirFolder f) throws StorageException {
        MaildirScan.stamps(f).remember(f);
    }

    /**
     * @param force    scan even if the stamps say nothing changed
     * @param lockHeld the caller holds the uidlist dot-lock (new files get UIDs without taking it)
     */
    static void sync(MaildirFolder f, boolean force, boolean lockHeld, UidValidityGenerator uidValidities)
            throws StorageException {
        long readAt = System.currentTimeMillis();
        MaildirScan.Stamps stamps = MaildirScan.stamps(f);
        if (!force && stamps.equalsScanned(f)
                && (f.scanReadAt >= stamps.newestMillis() + DIRTY_MILLIS || readAt - f.scanReadAt < DIRTY_RESCAN_MILLIS)) {
            // Either the last listing began after the stamps' tick, so nothing can hide behind them, or one
            // was made less than DIRTY_RESCAN_MILLIS ago; a hidden change is then found by a later sync.
            return;
        }
        f.listings++;
        Map<String, String> files = MaildirScan.scan(f);
        f.uidlist.refresh();
        // Another process may have numbered new keywords that the renamed files now carry.
        f.keywords.refresh();
        List<String> unknown = new ArrayList<>();
        for (String base : files.keySet()) {
            if (f.uidlist.uidOf(base) == null) {
                unknown.add(base);
            }
        }
        if (!unknown.isEmpty() || f.uidlist.uidValidity() == 0) {
            if (lockHeld) {
                assign(f, files, uidValidities);
            } else {
                try (DotLock lock = f.uidlist.lock()) {
                    f.uidlist.refresh();
                    assign(f, files, uidValidities);
                }
            }
        }
        long uv = f.uidlist.uidValidity();
        if (f.uidValidity() != uv) {
            if (f.uidValidity() != 0) {
                // UIDVALIDITY changed on disk (uidlist recreated): every old UID is gone (RFC 3501 2.3.1.1).
                f.clearAll(f.nextModSeq());
                f.fileOf.clear();
                f.clearCache();
            }
            f.resetUidValidity(uv);
        }
        f.setUidNext(f.uidlist.nextUid());
        diff(f, files);
        // The stamps from before the listing: a change made while we listed leaves a newer stamp on disk.
        stamps.remember(f);
        f.scanReadAt = readAt;
        if (stamps.trusted()) {
            f.index.putStamps(stamps.toIndex());
        }
    }

    /** Gives every file without a UID the next ones; caller holds the dot-lock and refreshed. */
    private static void assign(MaildirFolder f, Map<String, String> files, UidValidityGenerator gen) throws StorageException {
        TreeSet<String> unknown = new TreeSet<>();
        for (String base : files.keySet()) {
            if (f.uidlist.uidOf(base) == null) {
                unknown.add(base);
            }
        }
        long next = Math.max(f.uidlist.nextUid(), f.uidNext());
        List<Map.Entry<Long, String>> records = new ArrayList<>();
        for (String base : unknown) {
            records.add(new AbstractMap.SimpleEntry<>(next++, base));
        }
        long uv = f.uidlist.uidValidity() != 0 ? f.uidlist.uidValidity()
            : f.uidValidity() != 0 ? f.uidValidity() : gen.next();
        f.uidlist.append(records, uv);
    }

    private static void diff(MaildirFolder f, Map<String, String> files) throws StorageException {
        List<MessageMeta> added = new ArrayList<>();
        List<MessageMeta> changed = new ArrayList<>();
        Set<Long> present = new java.util.HashSet<>();
        List<NewFile> pending = new ArrayList<>();
        long modSeq = 0;
        for (Map.Entry<Long, String> r : f.uidlist.records().entrySet()) {
            String rel = files.get(r.getValue());
            if (rel == null) {
                continue;
            }
            long uid = r.getKey();
            present.add(uid);
            MessageMeta old = f.get(uid);
            if (old != null && rel.equals(f.fileOf.get(uid))) {
                continue;
            }
            if (modSeq == 0) {
                modSeq = f.nextModSeq();
            }
            String letters = MaildirFileName.flagLetters(rel);
            Set<Flag> flags = MaildirFlags.systemFlags(letters);
            Set<String> kw = new LinkedHashSet<>(MaildirFlags.keywords(letters, f.keywords));
            if (old == null) {
                pending.add(new NewFile(uid, rel, flags, kw));
                continue;
            } else {
                // Keywords without a letter exist only in our index; another process cannot have changed them.
                kw.addAll(MaildirFlags.unlettered(old.keywords(), f.keywords));
                f.fileOf.put(uid, rel);
                if (!flags.equals(old.flags()) || !kw.equals(old.keywords())) {
                    changed.add(new MessageMeta(uid, java.util.Collections.unmodifiableSet(flags),
                        java.util.Collections.unmodifiableSet(kw), old.size(), old.internalDate(), modSeq));
                } else {
                    f.index.putMessages(List.of(old), f.fileOf);
                }
            }
            f.fileOf.put(uid, rel);
        }
        // A cold open stats every file for its INTERNALDATE: in parallel, it is latency, not work.
        long addModSeq = modSeq;
        List<MessageMeta> metas;
        try (FolderStat stat = FolderStat.open(f, !pending.isEmpty())) {
            java.util.stream.Stream<NewFile> stream = pending.size() > 256 ? pending.parallelStream() : pending.stream();
            metas = stream.map(n -> {
                try {
                    return newMeta(stat, n.uid(), n.rel(), n.flags(), n.keywords(), addModSeq);
                } catch (StorageException e) {
                    throw new java.io.UncheckedIOException(new IOException(e.getMessage(), e));
                }
            }).toList();
        } catch (java.io.UncheckedIOException e) {
            throw (StorageException) e.getCause().getCause();
        }
        for (int i = 0; i < pending.size(); i++) {
            MessageMeta m = metas.get(i);
            if (m == null) {
                present.remove(pending.get(i).uid());
            } else {
                added.add(m);
                f.fileOf.put(m.uid(), pending.get(i).rel());
            }
        }
        List<Long> gone = new ArrayList<>();
        for (Long uid : f.view().keySet()) {
            if (!present.contains(uid)) {
                gone.add(uid);
            }
        }
        if (!gone.isEmpty()) {
            long xm = modSeq == 0 ? f.nextModSeq() : modSeq;
            for (Long uid : gone) {
                f.fileOf.remove(uid);
            }
            f.expunged(gone, xm);
            f.index.putExpunge(gone, xm);
        }
        if (!added.isEmpty()) {
            f.added(added);
            f.index.putMessages(added, f.fileOf);
        }
        if (!changed.isEmpty()) {
            f.flagsChanged(changed);
            f.index.putMessages(changed, f.fileOf);
        }
        if (modSeq != 0 || !gone.isEmpty()) {
            f.indexState();
        }
    }

    /** A file seen for the first time, waiting for its stat. */
    private record NewFile(long uid, String rel, Set<Flag> flags, Set<String> keywords) {
    }

    /** A meta for a file seen for the first time: stat for the date, W= (or a read) for the size. */
    private static MessageMeta newMeta(FolderStat stat, long uid, String rel, Set<Flag> flags, Set<String> kw, long modSeq)
            throws StorageException {
        try {
            BasicFileAttributes a = stat.attributes(rel);
            long vsize = MaildirFileName.field(rel, 'W');
            if (vsize < 0) {
                vsize = MaildirScan.crlfSize(stat.folder.dir.resolve(rel));
            }
            Instant date = Instant.ofEpochSecond(a.lastModifiedTime().toInstant().getEpochSecond());
            return new MessageMeta(uid, java.util.Collections.unmodifiableSet(flags),
                java.util.Collections.unmodifiableSet(kw), vsize, date, modSeq);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Reading " + rel + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stats message files relative to open handles on {@code cur/} and {@code new/} (fstatat) where
     * the platform offers a {@link SecureDirectoryStream}, so the kernel does not walk the folder's
     * full path again for each of thousands of files; elsewhere by full path. Thread-safe.
     */
    private static final class FolderStat implements AutoCloseable {
        final MaildirFolder folder;
        private final SecureDirectoryStream<Path> cur;
        private final SecureDirectoryStream<Path> neu;

        private FolderStat(MaildirFolder folder, SecureDirectoryStream<Path> cur, SecureDirectoryStream<Path> neu) {
            this.folder = folder;
            this.cur = cur;
            this.neu = neu;
        }

        static FolderStat open(MaildirFolder f, boolean wanted) {
            if (!wanted) {
                return new FolderStat(f, null, null);
            }
            SecureDirectoryStream<Path> c = secure(f.cur);
            SecureDirectoryStream<Path> n = c == null ? null : secure(f.newDir);
            if (c != null && n == null) {
                closeQuietly(c);
                c = null;
            }
            return new FolderStat(f, c, n);
        }

        private static SecureDirectoryStream<Path> secure(Path dir) {
            try {
                DirectoryStream<Path> ds = Files.newDirectoryStream(dir);
                if (ds instanceof SecureDirectoryStream<Path> s) {
                    return s;
                }
                ds.close();
            } catch (IOException e) {
                // fall back to full paths, which report the error per file
            }
            return null;
        }

        BasicFileAttributes attributes(String rel) throws IOException {
            SecureDirectoryStream<Path> ds = rel.startsWith("cur/") ? cur : neu;
            if (ds == null) {
                return Files.readAttributes(folder.dir.resolve(rel), BasicFileAttributes.class);
            }
            return ds.getFileAttributeView(Path.of(rel.substring(4)), BasicFileAttributeView.class).readAttributes();
        }

        @Override
        public void close() {
            closeQuietly(cur);
            closeQuietly(neu);
        }

        private static void closeQuietly(DirectoryStream<Path> ds) {
            if (ds != null) {
                try {
                    ds.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }
}
