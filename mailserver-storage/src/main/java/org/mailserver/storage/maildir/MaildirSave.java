package org.mailserver.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.FlagChange;

/**
 * Saving into a Maildir folder the way that survives a crash at any point (the Maildir protocol,
 * as Dovecot does it): the message is written to {@code tmp/} (CRLF stored as LF, Dovecot's
 * {@code mail_save_crlf = no}), forced to disk, its mtime set to the INTERNALDATE; then, under the
 * uidlist dot-lock, renamed into {@code new/} with its final name, the directory forced, and its UID
 * appended to {@code dovecot-uidlist} (forced) before the caller is told it is saved. A crash before
 * the rename leaves only a tmp file (cleaned later); after it, the message exists and the next sync
 * gives it a UID if the uidlist line was not written. A UID once appended is never given again: the
 * next UID is always above the last record, and N in the header never goes down.
 */
final class MaildirSave {
    private static final AtomicLong TMP_COUNTER = new AtomicLong();

    /** A file in tmp/ ready to be published. */
    record Staged(Path tmp, long size, long vsize, Instant date, Set<Flag> flags, Set<String> keywords) {
    }

    private MaildirSave() {
    }

    static Path tmpName(MaildirFolder f) {
        return f.tmp.resolve(System.currentTimeMillis() / 1000 + ".T" + ProcessHandle.current().pid() + "_"
            + TMP_COUNTER.incrementAndGet() + ".tmp");
    }

    /**
     * Writes the stream to tmp/ as LF, fsynced, with mtime = internal date. CRLF becomes LF and a CR
     * not followed by LF is kept, so reading back (LF to CRLF) gives the same bytes; the one input that
     * does not survive is CR CR LF (a bare CR right before a line end, illegal in RFC 5322), which
     * reads back as CR LF, as with Dovecot's {@code mail_save_crlf = no}. W= counts what is read back.
     */
    /**
     * The copy buffers of {@link #write}, one pair per thread that saves (delivery workers, IMAP APPEND
     * workers: bounded pools), reused instead of 128 KB of new arrays per message, which were the largest
     * allocation per delivery (JFR, 1 SMTP session, 5 KB messages) and so the main cause of minor GCs.
     * {@code write} does not call itself, so one pair per thread is never used twice at a time.
     */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final byte[] in = new byte[65536];
        final ByteBuffer out = ByteBuffer.allocate(65536 + 2);
    }

    static Staged write(MaildirFolder f, InputStream in, Instant date, Set<Flag> flags, Set<String> keywords)
            throws StorageException {
        Path tmp = tmpName(f);
        long size = 0;
        long vsize = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Buffers buffers = BUFFERS.get();
            byte[] inBuf = buffers.in;
            ByteBuffer out = buffers.out.clear();
            boolean pendingCr = false;
            int lastOut = -1;
            int n;
            while ((n = in.read(inBuf)) > 0) {
                int i = 0;
                while (i < n) {
                    if (pendingCr) {
                        pendingCr = false;
                        if (inBuf[i] != '\n') {
                            if (!out.hasRemaining()) {
                                flush(ch, out);
                            }
                            out.put((byte) '\r');
                            lastOut = '\r';
                            size++;
                            vsize++;
                        }
                    }
                    if (inBuf[i] == '\r') {
                        pendingCr = true;
                        i++;
                        continue;
                    }
                    // A run without CR is copied as it is (in bulk: this loop sees every byte of every
                    // delivery); each LF in it reads back as CRLF, except one right after a kept bare CR.
                    int j = i;
                    int lfs = 0;
                    while (j < n && inBuf[j] != '\r') {
                        if (inBuf[j] == '\n' && (j > i || lastOut != '\r')) {
                            lfs++;
                        }
                        j++;
                    }
                    int len = j - i;
                    size += len;
                    vsize += len + lfs;
                    lastOut = inBuf[j - 1];
                    while (len > 0) {
                        if (!out.hasRemaining()) {
                            flush(ch, out);
                        }
                        int m = Math.min(len, out.remaining());
                        out.put(inBuf, i, m);
                        i += m;
                        len -= m;
                    }
                }
            }
            if (pendingCr) {
                if (!out.hasRemaining()) {
                    flush(ch, out);
                }
                out.put((byte) '\r');
                size++;
                vsize++;
            }
            flush(ch, out);
            f.fsync.file(ch);
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox directory is gone");
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StorageException(StorageError.TEMPORARY, "Writing the message failed: " + e.getMessage(), e);
        }
        Instant d = date;
        try {
            if (d == null) {
                // No date asked for (a delivery): the file's own mtime, just set by the write, is the
                // INTERNALDATE; one stat instead of open + utimensat + close.
                d = Files.getLastModifiedTime(tmp).toInstant();
            } else {
                Files.setLastModifiedTime(tmp, FileTime.from(d));
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StorageException(StorageError.TEMPORARY, "Setting the date failed: " + e.getMessage(), e);
        }
        return new Staged(tmp, size, vsize, Instant.ofEpochSecond(d.getEpochSecond()), FlagChange.flags(flags),
            FlagChange.keywords(keywords));
    }

    private static void flush(FileChannel ch, ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            ch.write(out);
        }
        out.clear();
    }

    /**
     * Publishes staged files into new/ (no flags) or cur/ (flags), under the uidlist dot-lock, and adds
     * them to the state (listeners notified). Caller holds the folder's state lock.
     */
    static List<MessageMeta> commit(MaildirFolder f, List<Staged> staged, UidValidityGenerator gen) throws StorageException {
        if (staged.isEmpty()) {
            return List.of();
        }
        f.checkUsable();
        java.util.Set<String> allKeywords = new java.util.LinkedHashSet<>();
        staged.forEach(s -> allKeywords.addAll(s.keywords()));
        if (!allKeywords.isEmpty()) {
            f.keywords.refresh();
            f.keywords.ensure(allKeywords);
        }
        List<MessageMeta> metas = new ArrayList<>();
        List<String> rels = new ArrayList<>();
        List<Map.Entry<Long, String>> records = new ArrayList<>();
        boolean knewAll = MaildirSync.unchangedSinceScan(f);
        try (DotLock lock = f.uidlist.lock()) {
            f.uidlist.refresh();
            if (f.uidlist.uidValidity() == 0 || f.uidlist.nextUid() > f.uidNext()) {
                // Another process added messages: take them in first so UIDs reach listeners in order.
                MaildirSync.sync(f, true, true, gen);
            }
            long uid = Math.max(f.uidlist.nextUid(), f.uidNext());
            long modSeq = f.nextModSeq();
            Path lastDir = null;
            for (Staged s : staged) {
                String base = MaildirFileName.newBase(s.size(), s.vsize());
                String letters = MaildirFlags.letters(s.flags(), s.keywords(), f.keywords, "");
                String rel = letters.isEmpty() ? "new/" + base : "cur/" + MaildirFileName.withFlags(base, letters);
                Path target = f.dir.resolve(rel);
                Files.move(s.tmp(), target, StandardCopyOption.ATOMIC_MOVE);
                lastDir = lastDir == null || lastDir.equals(target.getParent()) ? target.getParent() : null;
                records.add(new AbstractMap.SimpleEntry<>(uid, base));
                metas.add(new MessageMeta(uid, s.flags(), s.keywords(), s.vsize(), s.date(), modSeq));
                rels.add(rel);
                uid++;
            }
            if (lastDir != null) {
                f.fsync.directory(lastDir);
            } else {
                f.fsync.directory(f.newDir);
                f.fsync.directory(f.cur);
            }
            f.uidlist.append(records, f.uidValidity() != 0 ? f.uidValidity() : gen.next());
            if (knewAll) {
                // Nothing foreign happened since our last look: what is on disk now is what we know.
                MaildirSync.rememberOwnChange(f);
            }
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox directory is gone");
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Saving the message failed: " + e.getMessage(), e);
        }
        long bytes = 0;
        for (int i = 0; i < metas.size(); i++) {
            f.fileOf.put(metas.get(i).uid(), rels.get(i));
            bytes += staged.get(i).size();
        }
        f.setUidNext(metas.get(metas.size() - 1).uid() + 1);
        f.added(metas);
        f.index.putMessages(metas, f.fileOf);
        f.quota.record(bytes, metas.size());
        return metas;
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // tmp/ is cleaned of old files on folder open
        }
    }
}
