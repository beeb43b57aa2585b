package org.mailserver.storage.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailboxInfo;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.QuotaInfo;
import org.mailserver.storage.SpecialUse;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.DefaultFolders;
import org.mailserver.storage.support.MailboxNames;

/** One handle on an in-memory user's mailboxes; many handles share one {@link InMemoryUser}. */
final class InMemoryMailStore implements MailStore {
    private final InMemoryUser data;

    InMemoryMailStore(InMemoryUser data) {
        this.data = data;
    }

    void initialize(Settings settings) {
        synchronized (data) {
            if (data.initialized) {
                return;
            }
            data.initialized = true;
            data.folders.put(MailboxNames.INBOX, new MemoryFolder(MailboxNames.INBOX, data.nextUidValidity(), Set.of()));
            data.subscriptions.add(MailboxNames.INBOX);
            for (Map.Entry<String, Set<SpecialUse>> e : DefaultFolders.of(settings).entrySet()) {
                data.folders.put(e.getKey(), new MemoryFolder(e.getKey(), data.nextUidValidity(), e.getValue()));
                data.subscriptions.add(e.getKey());
            }
        }
    }

    @Override
    public String user() {
        return data.user;
    }

    @Override
    public List<MailboxInfo> list() {
        synchronized (data) {
            TreeMap<String, Boolean> names = new TreeMap<>();
            for (String name : data.folders.keySet()) {
                names.put(name, true);
                for (String p = MailboxNames.parent(name); p != null; p = MailboxNames.parent(p)) {
                    names.putIfAbsent(p, false);
                }
            }
            List<MailboxInfo> out = new ArrayList<>();
            for (Map.Entry<String, Boolean> e : names.entrySet()) {
                String name = e.getKey();
                String higher = names.higherKey(name);
                boolean children = higher != null && higher.startsWith(name + HIERARCHY_SEPARATOR);
                MemoryFolder f = data.folders.get(name);
                MailboxInfo info = new MailboxInfo(name, f == null ? Set.of() : f.specialUse,
                    data.subscriptions.contains(name), children, e.getValue());
                if (MailboxNames.isInbox(name)) {
                    out.add(0, info);
                } else {
                    out.add(info);
                }
            }
            return out;
        }
    }

    @Override
    public void create(String name, Set<SpecialUse> specialUse) throws StorageException {
        String n = MailboxNames.validate(name);
        synchronized (data) {
            if (data.folders.containsKey(n)) {
                throw new StorageException(StorageError.EXISTS, "Mailbox already exists");
            }
            data.folders.put(n, new MemoryFolder(n, data.nextUidValidity(), specialUse));
        }
    }

    @Override
    public void delete(String name) throws StorageException {
        String n = MailboxNames.validate(name);
        if (MailboxNames.isInbox(n)) {
            throw new StorageException(StorageError.NOT_POSSIBLE, "INBOX can't be deleted");
        }
        MemoryFolder f;
        synchronized (data) {
            f = data.folders.remove(n);
            if (f == null) {
                throw new StorageException(StorageError.NOT_FOUND, "Mailbox doesn't exist: " + name);
            }
        }
        f.lock();
        try {
            f.markGone();
        } finally {
            f.unlock();
        }
    }

    @Override
    public void rename(String from, String to) throws StorageException {
        String src = MailboxNames.validate(from);
        String dst = MailboxNames.validate(to);
        if (MailboxNames.isInbox(dst) || MailboxNames.isSelfOrChild(dst, src)) {
            throw new StorageException(StorageError.NOT_POSSIBLE, "Can't rename to that name");
        }
        if (MailboxNames.isInbox(src)) {
            renameInbox(dst);
            return;
        }
        List<MemoryFolder> gone = new ArrayList<>();
        synchronized (data) {
            if (!data.folders.containsKey(src)) {
                throw new StorageException(StorageError.NOT_FOUND, "Mailbox doesn't exist: " + from);
            }
            if (data.folders.containsKey(dst)) {
                throw new StorageException(StorageError.EXISTS, "Target mailbox already exists");
            }
            for (String name : new ArrayList<>(data.folders.keySet())) {
                if (!MailboxNames.isSelfOrChild(name, src)) {
                    continue;
                }
                String newName = dst + name.substring(src.length());
                MemoryFolder old = data.folders.remove(name);
                data.folders.put(newName, moved(old, newName, old.uidValidity()));
                if (data.subscriptions.remove(name)) {
                    data.subscriptions.add(newName);
                }
                gone.add(old);
            }
        }
        for (MemoryFolder old : gone) {
            old.lock();
            try {
                old.markGone();
            } finally {
                old.unlock();
            }
        }
    }

    /** RFC 3501 6.3.5: renaming INBOX moves its messages to the new name and leaves INBOX empty. */
    private void renameInbox(String dst) throws StorageException {
        MemoryFolder inbox;
        synchronized (data) {
            if (data.folders.containsKey(dst)) {
                throw new StorageException(StorageError.EXISTS, "Target mailbox already exists");
            }
            inbox = data.folders.get(MailboxNames.INBOX);
            inbox.lock();
            try {
                data.folders.put(dst, moved(inbox, dst, data.nextUidValidity()));
                inbox.expunged(new ArrayList<>(inbox.view().keySet()), inbox.nextModSeq());
                inbox.contents.clear();
            } finally {
                inbox.unlock();
            }
        }
    }

    private static MemoryFolder moved(MemoryFolder old, String newName, long uidValidity) {
        old.lock();
        try {
            MemoryFolder f = new MemoryFolder(newName, uidValidity, old.specialUse);
            f.load(old.view().values());
            f.setUidNext(old.uidNext());
            f.setHighestModSeq(old.highestModSeq());
            f.setRecentClaimedUpTo(old.recentClaimedUpTo());
            f.contents.putAll(old.contents);
            return f;
        } finally {
            old.unlock();
        }
    }

    @Override
    public void subscribe(String name) throws StorageException {
        String n = MailboxNames.validate(name);
        synchronized (data) {
            data.subscriptions.add(n);
        }
    }

    @Override
    public void unsubscribe(String name) throws StorageException {
        String n = MailboxNames.validate(name);
        synchronized (data) {
            data.subscriptions.remove(n);
        }
    }

    @Override
    public Set<String> subscriptions() {
        synchronized (data) {
            return new TreeSet<>(data.subscriptions);
        }
    }

    @Override
    public Mailbox open(String name) throws StorageException {
        String n = MailboxNames.validate(name);
        MemoryFolder f = data.folder(n);
        if (f == null) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox doesn't exist: " + name);
        }
        return new InMemoryMailbox(f, data);
    }

    @Override
    public QuotaInfo quota() {
        return data.usage();
    }

    @Override
    public void close() {
    }

    static long sizeOf(List<MessageMeta> metas) {
        long sum = 0;
        for (MessageMeta m : metas) {
            sum += m.size();
        }
        return sum;
    }
}
