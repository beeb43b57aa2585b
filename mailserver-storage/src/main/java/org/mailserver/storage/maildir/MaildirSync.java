package org.mailserver.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * directories' and uidlist's stamps are those of the last scan and older than {@link #DIRTY_MILLIS}
 * (file system time stamps are coarse; Dovecot uses the same kind of window).
 * Caller holds the folder's state lock.
 */
final class MaildirSync {
    static final long DIRTY_MILLIS = 2000;

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
            List<MessageMeta> metas = new ArrayList<>();
            for (MaildirIndex.Entry e : snap.entries.values()) {
                metas.add(e.meta());
                f.fileOf.put(e.meta().uid(), e.file());
            }
            f.load(metas);
            f.setHighestModSeq(snap.highestModSeq);
            f.setRecentClaimedUpTo(snap.recentClaimed);
            f.setExpungeLogFloor(snap.expungeFloor);
            f.expungeLog().putAll(snap.expungeLog);
            f.cacheEntries().putAll(snap.cache);
        }
        f.loaded = true;
        boolean fresh = snap == null;
        Stamps now = stamps(f);
        if (snap != null && snap.stamps != null && now.trusted() && now.toIndex().equals(snap.stamps)) {
            // Nothing changed on disk since the scan the index recorded: the index is the folder.
            f.setUidNext(f.uidlist.nextUid());
            now.remember(f);
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

    /**
     * The cheap check used when a view is opened: lists the directories only when their stamps differ
     * from what this JVM last saw or wrote itself. A change by another process within the same time
     * stamp tick is found by the next {@link #sync} (IMAP NOOP, IDLE, CHECK), which honours the dirty window.
     */
    static void syncIfChanged(MaildirFolder f, UidValidityGenerator uidValidities) throws StorageException {
        if (stamps(f).equalsScanned(f)) {
            return;
        }
        sync(f, true, false, uidValidities);
    }

    /** Whether the disk is as this JVM last saw it (so our own change can update the stamps). */
    static boolean unchangedSinceScan(MaildirFolder f) throws StorageException {
        return stamps(f).equalsScanned(f);
    }

    /** Records the current stamps as seen, after a change of our own made on an unchanged folder. */
    static void rememberOwnChange(MaildirFolder f) throws StorageException {
        stamps(f).remember(f);
    }

    /**
     * @param force    scan even if the stamps say nothing changed
     * @param lockHeld the caller holds the uidlist dot-lock (new files get UIDs without taking it)
     */
    static void sync(MaildirFolder f, boolean force, boolean lockHeld, UidValidityGenerator uidValidities)
            throws StorageException {
        Stamps stamps = stamps(f);
        if (!force && stamps.equalsScanned(f) && !stamps.dirty()) {
            return;
        }
        Map<String, String> files = scan(f);
        f.uidlist.refresh();
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
                f.cacheEntries().clear();
            }
            f.resetUidValidity(uv);
        }
        f.setUidNext(f.uidlist.nextUid());
        diff(f, files);
        // The stamps from before the listing: a change made while we listed leaves a newer stamp on disk.
        stamps.remember(f);
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
                MessageMeta m = newMeta(f, uid, rel, flags, kw, modSeq);
                if (m == null) {
                    present.remove(uid);
                    continue;
                }
                added.add(m);
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

    /** A meta for a file seen for the first time: stat for the date, W= (or a read) for the size. */
    private static MessageMeta newMeta(MaildirFolder f, long uid, String rel, Set<Flag> flags, Set<String> kw, long modSeq)
            throws StorageException {
        Path p = f.dir.resolve(rel);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            long vsize = MaildirFileName.field(rel, 'W');
            if (vsize < 0) {
                vsize = crlfSize(p);
            }
            Instant date = Instant.ofEpochSecond(a.lastModifiedTime().toInstant().getEpochSecond());
            return new MessageMeta(uid, java.util.Collections.unmodifiableSet(flags),
                java.util.Collections.unmodifiableSet(kw), vsize, date, modSeq);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Reading " + p + " failed: " + e.getMessage(), e);
        }
    }

    /** The size with CRLF line endings: every LF not preceded by CR counts one more byte. */
    static long crlfSize(Path p) throws IOException {
        long size = 0;
        int prev = -1;
        byte[] buf = new byte[65536];
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' && prev != '\r') {
                        size++;
                    }
                    prev = buf[i];
                    size++;
                }
            }
        }
        return size;
    }

    /** base name to "new/NAME" or "cur/NAME"; a name in both (mid-rename) counts once, cur/ winning. */
    static Map<String, String> scan(MaildirFolder f) throws StorageException {
        Map<String, String> out = new HashMap<>();
        list(f.newDir, "new/", out);
        list(f.cur, "cur/", out);
        return out;
    }

    private static void list(Path dir, String prefix, Map<String, String> out) throws StorageException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
                    continue;
                }
                out.put(MaildirFileName.base(name), prefix + name);
            }
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox directory is gone");
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Listing " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /** Finds a message file by base name after it was renamed by someone else; null if gone. */
    static String locate(MaildirFolder f, String base) throws StorageException {
        if (Files.exists(f.newDir.resolve(base))) {
            return "new/" + base;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.newDir, glob(base) + ":*")) {
            for (Path p : ds) {
                return "new/" + p.getFileName();
            }
        } catch (IOException e) {
            // fall through to cur/
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.cur, glob(base) + "*")) {
            for (Path p : ds) {
                if (MaildirFileName.base(p.getFileName().toString()).equals(base)) {
                    return "cur/" + p.getFileName();
                }
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Listing " + f.cur + " failed: " + e.getMessage(), e);
        }
        return null;
    }

    private static String glob(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?").replace("[", "\\[").replace("{", "\\{");
    }

    private record Stamps(FileTime cur, FileTime neu, Object uidlistKey, long uidlistSize) {
        boolean equalsScanned(MaildirFolder f) {
            return cur != null && cur.equals(f.scannedCurMtime) && neu.equals(f.scannedNewMtime)
                && java.util.Objects.equals(uidlistKey, f.scannedUidlistKey) && uidlistSize == f.scannedUidlistSize;
        }

        boolean dirty() {
            long now = System.currentTimeMillis();
            return now - cur.toMillis() < DIRTY_MILLIS || now - neu.toMillis() < DIRTY_MILLIS;
        }

        /** Old enough that no change can share these time stamps, and a uidlist exists. */
        boolean trusted() {
            return !dirty() && uidlistKey != null;
        }

        MaildirIndex.Stamps toIndex() {
            return new MaildirIndex.Stamps(nanos(cur), nanos(neu), uidlistSize, String.valueOf(uidlistKey));
        }

        void remember(MaildirFolder f) {
            f.scannedCurMtime = cur;
            f.scannedNewMtime = neu;
            f.scannedUidlistKey = uidlistKey;
            f.scannedUidlistSize = uidlistSize;
        }

        private static long nanos(FileTime t) {
            return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private static Stamps stamps(MaildirFolder f) throws StorageException {
        try {
            FileTime c = Files.getLastModifiedTime(f.cur);
            FileTime n = Files.getLastModifiedTime(f.newDir);
            Object key = null;
            long size = -1;
            try {
                BasicFileAttributes a = Files.readAttributes(f.uidlist.path(), BasicFileAttributes.class);
                key = a.fileKey();
                size = a.size();
            } catch (NoSuchFileException e) {
                // no uidlist yet
            }
            return new Stamps(c, n, key, size);
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox directory is gone");
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "stat failed: " + e.getMessage(), e);
        }
    }

}
