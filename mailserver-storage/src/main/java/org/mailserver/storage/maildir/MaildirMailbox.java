package org.mailserver.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.AbstractMailbox;
import org.mailserver.storage.support.MailboxNames;

/**
 * A view of one Maildir folder. Flag changes rename the file into {@code cur/} with the new
 * {@code :2,} letters (atomic: a crash leaves the old or the new name); expunge unlinks the file;
 * copy hard-links the file into the target's {@code tmp/} and publishes it like a new message
 * ({@link MaildirSave#commit}), falling back to a byte copy across file systems.
 */
final class MaildirMailbox extends AbstractMailbox {
    private final MaildirFolder folder;
    private final MaildirMailStore store;

    MaildirMailbox(MaildirFolder folder, MaildirMailStore store) {
        super(folder);
        this.folder = folder;
        this.store = store;
    }

    @Override
    public void sync() throws StorageException {
        checkOpen();
        folder.lock();
        try {
            MaildirSync.sync(folder, false, false, store.uidValidities());
        } finally {
            folder.unlock();
        }
    }

    @Override
    public AppendResult append(InputStream content, Set<Flag> flags, Set<String> keywords, Instant internalDate)
            throws StorageException {
        checkOpen();
        MaildirSave.Staged staged = MaildirSave.write(folder, content, internalDate, flags, keywords);
        boolean published = false;
        try {
            folder.quota.check(staged.size(), 1);
            folder.lock();
            try {
                MessageMeta m = MaildirSave.commit(folder, List.of(staged), store.uidValidities()).get(0);
                published = true;
                return new AppendResult(folder.uidValidity(), m.uid());
            } finally {
                folder.unlock();
            }
        } finally {
            if (!published) {
                MaildirSave.deleteQuietly(staged.tmp()); // a published file was renamed away from tmp/
            }
        }
    }

    @Override
    public InputStream open(long uid) throws StorageException {
        return readFile(uid, p -> new CrlfInputStream(Files.newInputStream(p)));
    }

    /** The file read whole and turned to CRLF in one pass: no stream per byte (BODY[] of a message). */
    @Override
    public byte[] content(long uid) throws StorageException {
        return readFile(uid, p -> CrlfInputStream.toCrlf(Files.readAllBytes(p)));
    }

    /** What {@link #readFile} does with the file once found. */
    private interface FileReader<T> {
        T read(Path p) throws IOException;
    }

    /** Finds the UID's file and reads it, looking again once when another process renamed it meanwhile. */
    private <T> T readFile(long uid, FileReader<T> reader) throws StorageException {
        checkOpen();
        for (int attempt = 0; attempt < 2; attempt++) {
            Path p;
            folder.lock();
            try {
                if (folder.get(uid) == null) {
                    throw new StorageException(StorageError.EXPUNGED, "Message " + uid + " was expunged");
                }
                if (attempt > 0) {
                    relocate(uid);
                }
                p = folder.pathOf(uid);
            } finally {
                folder.unlock();
            }
            if (p == null) {
                break;
            }
            try {
                return reader.read(p);
            } catch (NoSuchFileException e) {
                // renamed by another process (flags) or expunged: look again
            } catch (IOException e) {
                throw new StorageException(StorageError.TEMPORARY, "Reading message failed: " + e.getMessage(), e);
            }
        }
        throw new StorageException(StorageError.EXPUNGED, "Message " + uid + " was expunged");
    }

    /** Finds the file of a UID again after someone renamed it; caller holds the lock. */
    private String relocate(long uid) throws StorageException {
        String rel = folder.fileOf.get(uid);
        if (rel == null) {
            return null;
        }
        String found = MaildirScan.locate(folder, MaildirFileName.base(rel.substring(4)));
        if (found == null) {
            folder.fileOf.remove(uid);
        } else {
            folder.fileOf.put(uid, found);
        }
        return found;
    }

    @Override
    protected CopyResult copyMessages(Collection<Long> uids, String targetMailbox, boolean checkQuota) throws StorageException {
        checkOpen();
        String targetName = MailboxNames.validate(targetMailbox);
        MaildirFolder target = store.acquireFolder(targetName);
        try {
            List<MessageMeta> sources = new ArrayList<>();
            List<MaildirSave.Staged> staged = new ArrayList<>();
            long bytes = 0;
            try {
                folder.lock();
                try {
                    for (Long uid : new TreeSet<>(uids)) {
                        MessageMeta m = folder.get(uid);
                        if (m == null) {
                            continue;
                        }
                        Path tmp = MaildirSave.tmpName(target);
                        long size = link(uid, tmp);
                        if (size < 0) {
                            continue;
                        }
                        bytes += size;
                        sources.add(m);
                        staged.add(new MaildirSave.Staged(tmp, size, m.size(), m.internalDate(), m.flags(), m.keywords()));
                    }
                } finally {
                    folder.unlock();
                }
                if (checkQuota) {
                    target.quota.check(bytes, staged.size());
                }
                target.lock();
                List<MessageMeta> added;
                try {
                    added = MaildirSave.commit(target, staged, store.uidValidities());
                } finally {
                    target.unlock();
                }
                List<Long> src = sources.stream().map(MessageMeta::uid).toList();
                List<Long> dst = added.stream().map(MessageMeta::uid).toList();
                return new CopyResult(target.uidValidity(), src, dst);
            } finally {
                for (MaildirSave.Staged s : staged) {
                    MaildirSave.deleteQuietly(s.tmp());
                }
            }
        } finally {
            store.releaseFolder(target);
        }
    }

    /** Hard-links (or copies) a message into a tmp path; returns its physical size, -1 if it vanished. */
    private long link(long uid, Path tmp) throws StorageException {
        for (int attempt = 0; attempt < 2; attempt++) {
            Path src = attempt == 0 ? folder.pathOf(uid) : (relocate(uid) == null ? null : folder.pathOf(uid));
            if (src == null) {
                return -1;
            }
            try {
                try {
                    Files.createLink(tmp, src);
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                    if (e instanceof NoSuchFileException) {
                        throw (NoSuchFileException) e;
                    }
                    Files.copy(src, tmp, StandardCopyOption.COPY_ATTRIBUTES);
                }
                long s = MaildirFileName.field(src.getFileName().toString(), 'S');
                return s >= 0 ? s : Files.size(tmp);
            } catch (NoSuchFileException e) {
                // renamed meanwhile: look again
            } catch (IOException e) {
                throw new StorageException(StorageError.TEMPORARY, "Copying failed: " + e.getMessage(), e);
            }
        }
        return -1;
    }

    @Override
    protected void persistFlags(List<MessageMeta> before, List<MessageMeta> after) throws StorageException {
        boolean knewAll = MaildirSync.unchangedSinceScan(folder);
        Set<String> kws = new LinkedHashSet<>();
        after.forEach(m -> kws.addAll(m.keywords()));
        folder.keywords.refresh();
        folder.keywords.ensure(kws);
        for (MessageMeta m : after) {
            for (int attempt = 0; attempt < 2; attempt++) {
                String rel = attempt == 0 ? folder.fileOf.get(m.uid()) : relocate(m.uid());
                if (rel == null) {
                    break;
                }
                String newRel = fileInCur(m, rel);
                if (newRel.equals(rel)) {
                    break;
                }
                try {
                    Files.move(folder.dir.resolve(rel), folder.dir.resolve(newRel), StandardCopyOption.ATOMIC_MOVE);
                    folder.fileOf.put(m.uid(), newRel);
                    break;
                } catch (NoSuchFileException e) {
                    // renamed by another process: locate and retry once
                } catch (IOException e) {
                    throw new StorageException(StorageError.TEMPORARY, "Changing flags failed: " + e.getMessage(), e);
                }
            }
        }
        folder.index.putMessages(after, folder.fileOf);
        // The state header, or a compaction, follows in stateChanged(): here the state still holds the
        // old flags, and a snapshot of them under the renamed file's name would be trusted after a restart.
        if (knewAll) {
            MaildirSync.rememberOwnChange(folder);
        }
    }

    /** Where a message's file belongs: in cur/, named with its flags (the Maildir convention, ":2,LETTERS"). */
    private String fileInCur(MessageMeta m, String rel) {
        String name = rel.substring(4);
        String letters = MaildirFlags.letters(m.flags(), m.keywords(), folder.keywords, MaildirFileName.flagLetters(name));
        return "cur/" + MaildirFileName.withFlags(MaildirFileName.base(name), letters);
    }

    /** Renames per hold of the folder lock: about a millisecond, so readers and a STORE wait little. */
    static final int SETTLE_BATCH = 32;

    @Override
    public boolean settleNewMessages(java.util.function.BooleanSupplier pause) throws StorageException {
        checkOpen();
        List<Long> inNew = new ArrayList<>();
        folder.lock();
        try {
            folder.fileOf.forEach((uid, rel) -> {
                if (rel.startsWith("new/")) {
                    inNew.add(uid);
                }
            });
        } finally {
            folder.unlock();
        }
        for (int i = 0; i < inNew.size(); i += SETTLE_BATCH) {
            if (pause.getAsBoolean()) {
                return false;
            }
            folder.lock();
            try {
                checkOpen();
                moveToCur(inNew.subList(i, Math.min(inNew.size(), i + SETTLE_BATCH)));
            } finally {
                folder.unlock();
            }
        }
        return true;
    }

    /** Moves these messages' files from new/ to cur/ and records their names in the index; the lock is held. */
    private void moveToCur(List<Long> uids) throws StorageException {
        boolean knewAll = MaildirSync.unchangedSinceScan(folder);
        List<MessageMeta> moved = new ArrayList<>();
        for (long uid : uids) {
            MessageMeta m = folder.get(uid);
            String rel = folder.fileOf.get(uid);
            if (m == null || rel == null || !rel.startsWith("new/")) {
                continue; // expunged, or a STORE moved it meanwhile
            }
            String target = fileInCur(m, rel);
            try {
                Files.move(folder.dir.resolve(rel), folder.dir.resolve(target), StandardCopyOption.ATOMIC_MOVE);
                folder.fileOf.put(uid, target);
                moved.add(m);
            } catch (NoSuchFileException e) {
                // another process (a Dovecot beside us) moved or removed it: found again when next needed
            } catch (IOException e) {
                throw new StorageException(StorageError.TEMPORARY, "Moving " + rel + " to cur/ failed: " + e.getMessage(), e);
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        // The index must name the new files before the stamps are remembered: a restart trusts both together
        folder.index.putMessages(moved, folder.fileOf);
        folder.indexState();
        if (knewAll) {
            MaildirSync.rememberOwnChange(folder);
        }
    }

    @Override
    protected void persistExpunge(List<MessageMeta> removed, long modSeq) throws StorageException {
        boolean knewAll = MaildirSync.unchangedSinceScan(folder);
        long bytes = 0;
        int count = 0;
        for (MessageMeta m : removed) {
            for (int attempt = 0; attempt < 2; attempt++) {
                String rel = attempt == 0 ? folder.fileOf.get(m.uid()) : relocate(m.uid());
                if (rel == null) {
                    break;
                }
                try {
                    Files.delete(folder.dir.resolve(rel));
                    long s = MaildirFileName.field(rel, 'S');
                    bytes += s >= 0 ? s : m.size();
                    count++;
                    break;
                } catch (NoSuchFileException e) {
                    // renamed or already expunged by another process
                } catch (IOException e) {
                    throw new StorageException(StorageError.TEMPORARY, "Expunge failed: " + e.getMessage(), e);
                }
            }
            folder.fileOf.remove(m.uid());
        }
        folder.quota.record(-bytes, -count);
        List<Long> uids = removed.stream().map(MessageMeta::uid).toList();
        folder.index.putExpunge(uids, modSeq);
        compactUidlist();
        if (knewAll) {
            MaildirSync.rememberOwnChange(folder);
        }
    }

    /** Drops records of expunged files once they are a quarter of the file (Dovecot's rule). */
    private void compactUidlist() throws StorageException {
        int live = folder.fileOf.size();
        if (folder.uidlist.recordCount() * 3 / 4 <= live) {
            return;
        }
        try (DotLock lock = folder.uidlist.lock()) {
            folder.uidlist.refresh();
            Set<String> keep = new java.util.HashSet<>(MaildirScan.scan(folder).keySet());
            folder.uidlist.recreate(keep);
        }
    }

    /** The state header, or a compaction, once the state holds the change (see {@link MaildirFolder#rewriteIndex}). */
    @Override
    protected void stateChanged() {
        folder.indexState();
    }

    @Override
    protected void persistRecentClaim() {
        // Called from the constructor too, before this class's fields are set: use the state.
        ((MaildirFolder) state).indexState();
    }

    @Override
    protected void persistCache(long uid, String key, byte[] value) {
        folder.index.putCache(uid, key, value);
    }

    @Override
    protected void onClose() {
        folder.lock();
        try {
            folder.index.flush();
        } finally {
            folder.unlock();
        }
        store.releaseFolder(folder);
    }
}
