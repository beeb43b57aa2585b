package org.mailserver.storage.memory;

import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.mailserver.storage.QuotaInfo;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.QuotaPolicy;

/**
 * Everything the in-memory store holds for one user, shared by every {@link InMemoryMailStore}
 * opened for that user. The folder map and subscriptions are guarded by this object's monitor;
 * each folder's messages by the folder's own lock.
 */
final class InMemoryUser {
    final String user;
    final TreeMap<String, MemoryFolder> folders = new TreeMap<>();
    final Set<String> subscriptions = new TreeSet<>();
    private final AtomicLong uidValidity = new AtomicLong(System.currentTimeMillis() / 1000);
    volatile QuotaPolicy quota = QuotaPolicy.UNLIMITED;
    /** INBOX and the default folders exist; guarded by this monitor. */
    boolean initialized;

    InMemoryUser(String user) {
        this.user = user;
    }

    /** A UIDVALIDITY never given to another mailbox of this user (RFC 3501 2.3.1.1). */
    long nextUidValidity() {
        return uidValidity.incrementAndGet();
    }

    synchronized MemoryFolder folder(String name) {
        return folders.get(name);
    }

    synchronized java.util.List<MemoryFolder> allFolders() {
        return java.util.List.copyOf(folders.values());
    }

    QuotaInfo usage() {
        long bytes = 0;
        long count = 0;
        for (MemoryFolder f : allFolders()) {
            bytes += f.bytes();
            f.lock();
            try {
                count += f.size();
            } finally {
                f.unlock();
            }
        }
        return quota.info(bytes, count);
    }

    void checkQuota(long addBytes, long addMessages) throws StorageException {
        QuotaPolicy q = quota;
        if (q.storageLimit() == 0 && q.messageLimit() == 0) {
            return;
        }
        QuotaInfo used = usage();
        q.check(used.storageBytes(), used.messages(), addBytes, addMessages);
    }
}
