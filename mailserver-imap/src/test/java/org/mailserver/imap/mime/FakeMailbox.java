package org.mailserver.imap.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.mailserver.storage.Flag;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MailboxListener;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/** A test mailbox in memory that counts {@link #open} calls, to prove what the cache saves. */
public final class FakeMailbox implements Mailbox {
    private final TreeMap<Long, byte[]> content = new TreeMap<>();
    private final TreeMap<Long, MessageMeta> metas = new TreeMap<>();
    private final Map<String, byte[]> cache = new HashMap<>();
    public int opens;
    public int cacheWrites;
    public int cacheReads;
    /** The UIDVALIDITY reported; a test may change it to simulate a mailbox recreated on disk. */
    public long uidValidity = 42;

    public MessageMeta add(byte[] message, Set<Flag> flags, Set<String> keywords, Instant internalDate) {
        long uid = content.isEmpty() ? 1 : content.lastKey() + 1;
        content.put(uid, message);
        MessageMeta m = new MessageMeta(uid, flags.isEmpty() ? Set.of() : EnumSet.copyOf(flags), Set.copyOf(keywords),
            message.length, internalDate, uid * 10);
        metas.put(uid, m);
        return m;
    }

    public MessageMeta add(byte[] message) {
        return add(message, Set.of(), Set.of(), Instant.parse("2026-03-01T12:00:00Z"));
    }

    public void clearCache() {
        cache.clear();
    }

    /** Removes the message's content only, as a concurrent expunge does to a view that still lists it. */
    public void vanish(long uid) {
        content.remove(uid);
        cache.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }

    @Override
    public String name() {
        return "INBOX";
    }

    @Override
    public long uidValidity() {
        return uidValidity;
    }

    @Override
    public long uidNext() {
        return content.isEmpty() ? 1 : content.lastKey() + 1;
    }

    @Override
    public long highestModSeq() {
        return 0;
    }

    @Override
    public void sync() {
    }

    @Override
    public List<MessageMeta> messages() {
        return new ArrayList<>(metas.values());
    }

    @Override
    public Set<Long> recent() {
        return Set.of();
    }

    @Override
    public long unseenCount() {
        return 0;
    }

    @Override
    public AppendResult append(InputStream c, Set<Flag> flags, Set<String> keywords, Instant internalDate) throws StorageException {
        try {
            return new AppendResult(42, add(c.readAllBytes(), flags, keywords, internalDate).uid());
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "read", e);
        }
    }

    @Override
    public InputStream open(long uid) throws StorageException {
        byte[] b = content.get(uid);
        if (b == null) {
            throw new StorageException(StorageError.EXPUNGED, "no message " + uid);
        }
        opens++;
        return new ByteArrayInputStream(b);
    }

    @Override
    public StoreResult store(Collection<Long> uids, StoreMode mode, Set<Flag> flags, Set<String> keywords, long unchangedSince) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CopyResult copy(Collection<Long> uids, String targetMailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CopyResult move(Collection<Long> uids, String targetMailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<List<Long>> expungedSince(long modSeq) {
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> cached(long uid, String key) {
        cacheReads++;
        return Optional.ofNullable(cache.get(uid + "/" + key));
    }

    @Override
    public void putCache(long uid, String key, byte[] value) {
        cacheWrites++;
        cache.put(uid + "/" + key, value);
    }

    @Override
    public void addListener(MailboxListener listener) {
    }

    @Override
    public void removeListener(MailboxListener listener) {
    }

    @Override
    public void close() {
    }
}
