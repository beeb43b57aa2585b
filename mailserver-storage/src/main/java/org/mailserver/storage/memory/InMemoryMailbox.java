package org.mailserver.storage.memory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.AbstractMailbox;
import org.mailserver.storage.support.FlagChange;
import org.mailserver.storage.support.MailboxNames;

/** A view of one in-memory mailbox. Nothing is persisted, so the persist hooks only drop bytes. */
final class InMemoryMailbox extends AbstractMailbox {
    private final MemoryFolder folder;
    private final InMemoryUser user;

    InMemoryMailbox(MemoryFolder folder, InMemoryUser user) {
        super(folder);
        this.folder = folder;
        this.user = user;
    }

    @Override
    public void sync() throws StorageException {
        checkOpen();
    }

    @Override
    public AppendResult append(InputStream content, Set<Flag> flags, Set<String> keywords, Instant internalDate)
            throws StorageException {
        checkOpen();
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Reading the message failed: " + e.getMessage(), e);
        }
        user.checkQuota(bytes.length, 1);
        Instant date = (internalDate == null ? Instant.now() : internalDate).truncatedTo(ChronoUnit.SECONDS);
        folder.lock();
        try {
            folder.checkUsable();
            long uid = folder.allocateUid();
            MessageMeta meta = new MessageMeta(uid, FlagChange.flags(flags), FlagChange.keywords(keywords),
                bytes.length, date, folder.nextModSeq());
            folder.contents.put(uid, bytes);
            folder.added(List.of(meta));
            return new AppendResult(folder.uidValidity(), uid);
        } finally {
            folder.unlock();
        }
    }

    @Override
    public InputStream open(long uid) throws StorageException {
        return new ByteArrayInputStream(stored(uid));
    }

    /** The stored bytes of a message, shared: callers must not change them. */
    private byte[] stored(long uid) throws StorageException {
        checkOpen();
        folder.lock();
        try {
            byte[] b = folder.contents.get(uid);
            if (b == null) {
                throw new StorageException(StorageError.EXPUNGED, "Message " + uid + " was expunged");
            }
            return b;
        } finally {
            folder.unlock();
        }
    }

    /** A copy of the stored bytes (they are shared by copies of the message and must stay unchanged). */
    @Override
    public byte[] content(long uid) throws StorageException {
        return stored(uid).clone();
    }

    @Override
    protected CopyResult copyMessages(Collection<Long> uids, String targetMailbox, boolean checkQuota) throws StorageException {
        checkOpen();
        MemoryFolder target = user.folder(MailboxNames.validate(targetMailbox));
        if (target == null) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox doesn't exist: " + targetMailbox);
        }
        List<MessageMeta> sources = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        folder.lock();
        try {
            for (Long uid : new TreeSet<>(uids)) {
                MessageMeta m = folder.get(uid);
                if (m != null) {
                    sources.add(m);
                    bodies.add(folder.contents.get(uid));
                }
            }
        } finally {
            folder.unlock();
        }
        if (checkQuota) {
            user.checkQuota(InMemoryMailStore.sizeOf(sources), sources.size());
        }
        List<Long> sourceUids = new ArrayList<>();
        List<Long> targetUids = new ArrayList<>();
        target.lock();
        try {
            target.checkUsable();
            List<MessageMeta> added = new ArrayList<>();
            long modSeq = target.nextModSeq();
            for (int i = 0; i < sources.size(); i++) {
                MessageMeta m = sources.get(i);
                long uid = target.allocateUid();
                added.add(new MessageMeta(uid, m.flags(), m.keywords(), m.size(), m.internalDate(), modSeq));
                target.contents.put(uid, bodies.get(i));
                sourceUids.add(m.uid());
                targetUids.add(uid);
            }
            target.added(added);
            return new CopyResult(target.uidValidity(), List.copyOf(sourceUids), List.copyOf(targetUids));
        } finally {
            target.unlock();
        }
    }

    @Override
    protected void persistFlags(List<MessageMeta> before, List<MessageMeta> after) {
        // Nothing to persist: the shared state is the store.
    }

    @Override
    protected void persistExpunge(List<MessageMeta> removed, long modSeq) {
        for (MessageMeta m : removed) {
            folder.contents.remove(m.uid());
        }
    }
}
