package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MailboxInfo;
import org.mailserver.storage.QuotaInfo;
import org.mailserver.storage.SpecialUse;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.FileTrees;
import org.mailserver.storage.support.MailboxNames;

/**
 * One user's Maildir++ tree (see {@link MaildirLayout}). Creating a folder makes {@code .Name} with
 * {@code cur new tmp} and the {@code maildirfolder} marker; deleting renames it out of the name
 * space first (so no reader sees a half-deleted folder) and then removes it; renaming renames the
 * folder and its children one directory at a time (each step atomic). Folder states are shared
 * through the provider, so every view in the JVM sees every change.
 */
final class MaildirMailStore implements MailStore {
    private final String user;
    private final Path root;
    private final MaildirMailStoreProvider provider;
    private final MailboxListFiles lists;
    private final Map<String, Set<SpecialUse>> configuredSpecialUse;

    MaildirMailStore(String user, Path root, MaildirMailStoreProvider provider, Map<String, Set<SpecialUse>> configuredSpecialUse) {
        this.user = user;
        this.root = root;
        this.provider = provider;
        this.lists = new MailboxListFiles(root, provider.fsync());
        this.configuredSpecialUse = configuredSpecialUse;
    }

    Path root() {
        return root;
    }

    UidValidityGenerator uidValidities() {
        return provider.uidValidities(root);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public List<MailboxInfo> list() throws StorageException {
        TreeMap<String, Boolean> names = new TreeMap<>();
        names.put(MailboxNames.INBOX, true);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ".*")) {
            for (Path p : ds) {
                String name = MaildirLayout.nameOf(p.getFileName().toString());
                // A folder whose creation was cut short (no cur/) is not listed; CREATE can finish it.
                if (name == null || !Files.isDirectory(p.resolve("cur"))) {
                    continue;
                }
                names.put(name, true);
                for (String parent = MailboxNames.parent(name); parent != null; parent = MailboxNames.parent(parent)) {
                    names.putIfAbsent(parent, false);
                }
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Listing mailboxes failed: " + e.getMessage(), e);
        }
        Set<String> subs = lists.subscriptions();
        Map<String, Set<SpecialUse>> uses = lists.specialUse();
        List<MailboxInfo> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : names.entrySet()) {
            String name = e.getKey();
            String higher = names.higherKey(name);
            boolean children = higher != null && higher.startsWith(name + HIERARCHY_SEPARATOR);
            Set<SpecialUse> use = uses.getOrDefault(name, e.getValue() ? configuredSpecialUse.getOrDefault(name, Set.of()) : Set.of());
            MailboxInfo info = new MailboxInfo(name, Set.copyOf(use), subs.contains(name), children, e.getValue());
            if (MailboxNames.isInbox(name)) {
                out.add(0, info);
            } else {
                out.add(info);
            }
        }
        return out;
    }

    @Override
    public void create(String name, Set<SpecialUse> specialUse) throws StorageException {
        String n = MailboxNames.validate(name);
        if (MailboxNames.isInbox(n)) {
            throw new StorageException(StorageError.EXISTS, "Mailbox already exists");
        }
        createFolder(root, MaildirLayout.dirOf(root, n), provider.fsync());
        if (specialUse != null && !specialUse.isEmpty()) {
            lists.setSpecialUse(n, specialUse);
        }
    }

    /** Makes a Maildir folder: cur new tmp and, below the root, the maildirfolder marker. */
    static void createFolder(Path root, Path dir, FsyncPolicy fsync) throws StorageException {
        try {
            if (dir.equals(root)) {
                Files.createDirectories(dir);
            } else {
                Files.createDirectory(dir);
            }
            Files.createDirectories(dir.resolve("cur"));
            Files.createDirectories(dir.resolve("new"));
            Files.createDirectories(dir.resolve("tmp"));
            if (!dir.equals(root)) {
                Files.createFile(dir.resolve("maildirfolder"));
            }
            fsync.directory(dir);
            fsync.directory(dir.getParent());
        } catch (FileAlreadyExistsException e) {
            throw new StorageException(StorageError.EXISTS, "Mailbox already exists");
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Creating mailbox failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String name) throws StorageException {
        String n = MailboxNames.validate(name);
        if (MailboxNames.isInbox(n)) {
            throw new StorageException(StorageError.NOT_POSSIBLE, "INBOX can't be deleted");
        }
        Path dir = MaildirLayout.dirOf(root, n);
        Path trash = root.resolve("..mailserver-deleted." + System.nanoTime());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox doesn't exist: " + name);
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Deleting mailbox failed: " + e.getMessage(), e);
        }
        provider.folderGone(dir);
        lists.setSpecialUse(n, Set.of());
        FileTrees.deleteQuietly(trash);
    }

    @Override
    public void rename(String from, String to) throws StorageException {
        String src = MailboxNames.validate(from);
        String dst = MailboxNames.validate(to);
        if (MailboxNames.isInbox(dst) || MailboxNames.isSelfOrChild(dst, src)) {
            throw new StorageException(StorageError.NOT_POSSIBLE, "Can't rename to that name");
        }
        if (Files.exists(MaildirLayout.dirOf(root, dst))) {
            throw new StorageException(StorageError.EXISTS, "Target mailbox already exists");
        }
        if (MailboxNames.isInbox(src)) {
            renameInbox(dst);
            return;
        }
        if (!Files.isDirectory(MaildirLayout.dirOf(root, src))) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox doesn't exist: " + from);
        }
        List<String> moved = new ArrayList<>();
        for (MailboxInfo info : list()) {
            if (info.selectable() && MailboxNames.isSelfOrChild(info.name(), src)) {
                moved.add(info.name());
            }
        }
        Map<String, Set<SpecialUse>> uses = lists.specialUse();
        for (String old : moved) {
            String renamed = dst + old.substring(src.length());
            Path oldDir = MaildirLayout.dirOf(root, old);
            try {
                Files.move(oldDir, MaildirLayout.dirOf(root, renamed), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new StorageException(StorageError.TEMPORARY, "Renaming " + old + " failed: " + e.getMessage(), e);
            }
            provider.folderGone(oldDir);
            if (uses.containsKey(old)) {
                lists.setSpecialUse(renamed, uses.get(old));
                lists.setSpecialUse(old, Set.of());
            }
        }
        lists.updateSubscriptions(subs -> {
            Set<String> out = new HashSet<>();
            for (String s : subs) {
                out.add(MailboxNames.isSelfOrChild(s, src) ? dst + s.substring(src.length()) : s);
            }
            return out;
        });
    }

    /** RFC 3501 6.3.5: the messages move to a new mailbox; INBOX stays, empty. */
    private void renameInbox(String dst) throws StorageException {
        create(dst, Set.of());
        try (Mailbox inbox = open(MailboxNames.INBOX)) {
            List<Long> uids = inbox.messages().stream().map(m -> m.uid()).toList();
            if (!uids.isEmpty()) {
                inbox.move(uids, dst);
            }
        }
    }

    @Override
    public void subscribe(String name) throws StorageException {
        String n = MailboxNames.validate(name);
        lists.updateSubscriptions(s -> {
            s.add(n);
            return s;
        });
    }

    @Override
    public void unsubscribe(String name) throws StorageException {
        String n = MailboxNames.validate(name);
        lists.updateSubscriptions(s -> {
            s.remove(n);
            return s;
        });
    }

    @Override
    public Set<String> subscriptions() throws StorageException {
        return lists.subscriptions();
    }

    @Override
    public Mailbox open(String name) throws StorageException {
        MaildirFolder f = acquireFolder(MailboxNames.validate(name));
        try {
            f.lock();
            try {
                MaildirSync.syncIfChanged(f, uidValidities());
            } finally {
                f.unlock();
            }
            return new MaildirMailbox(f, this);
        } catch (StorageException | RuntimeException e) {
            releaseFolder(f);
            throw e;
        }
    }

    /** The shared, loaded state of a folder; NOT_FOUND when the directory does not exist. */
    MaildirFolder acquireFolder(String name) throws StorageException {
        Path dir = MaildirLayout.dirOf(root, name);
        if (!Files.isDirectory(dir.resolve("cur"))) {
            throw new StorageException(StorageError.NOT_FOUND, "Mailbox doesn't exist: " + name);
        }
        MaildirFolder f = provider.acquire(dir, name, root);
        try {
            f.lock();
            try {
                MaildirSync.load(f, uidValidities());
            } finally {
                f.unlock();
            }
            return f;
        } catch (StorageException | RuntimeException e) {
            provider.release(f);
            throw e;
        }
    }

    void releaseFolder(MaildirFolder f) {
        provider.release(f);
    }

    @Override
    public QuotaInfo quota() throws StorageException {
        return provider.quota(root).usage();
    }

    @Override
    public void close() {
    }
}
