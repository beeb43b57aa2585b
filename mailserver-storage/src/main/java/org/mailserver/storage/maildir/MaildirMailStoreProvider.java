package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.SpecialUse;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.DefaultFolders;
import org.mailserver.storage.support.FileTrees;
import org.mailserver.storage.support.MailboxNames;
import org.mailserver.storage.support.QuotaPolicy;
import org.mailserver.storage.support.StorageParameters;

/**
 * The Maildir {@link MailStoreProvider}: resolves {@code mail_location} per user ({@link MailLocation}),
 * creates a new user's Maildir with the default special-use folders, subscribed, and keeps one
 * shared {@link MaildirFolder} per folder directory for the whole JVM, so that every view and every
 * delivery of a folder share its state and change feed. Unused folder states are dropped, least recently used
 * first, when more than {@link #MAX_IDLE_FOLDERS} are cached or when together they hold more than
 * {@link #idleMessageBudget} messages (a quarter of the heap at about 1.5 KiB a message): counted in folders alone,
 * a few idle 50,000-message archives filled the default 256 MiB heap and the JVM did little but full collections.
 */
public final class MaildirMailStoreProvider implements MailStoreProvider, AutoCloseable {
    static final int MAX_IDLE_FOLDERS = 128;
    /** What a message's state costs in memory, roughly (docs/install.md: 15 MiB for 10,000 messages open). */
    static final long BYTES_PER_MESSAGE = 1536;
    /** Most messages the idle folder states may hold together (tests lower it). */
    long idleMessageBudget = Math.max(10_000, Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_MESSAGE);

    private final Settings settings;
    private final FsyncPolicy fsync;
    private final Map<Path, MaildirFolder> folders = new ConcurrentHashMap<>();
    private final Map<Path, MaildirQuota> quotas = new ConcurrentHashMap<>();
    private final Map<Path, UidValidityGenerator> uidValidities = new ConcurrentHashMap<>();
    private final Map<String, Set<SpecialUse>> defaults;

    public MaildirMailStoreProvider(Settings settings) {
        this.settings = settings;
        String mode = settings.get(StorageParameters.MAIL_FSYNC);
        this.fsync = new FsyncPolicy(mode == null || !mode.trim().equalsIgnoreCase("never"));
        this.defaults = DefaultFolders.of(settings);
    }

    @Override
    public MailStore open(UserInfo user) throws StorageException {
        String location = settings.get(StorageParameters.MAIL_LOCATION);
        Path base = settings.configDirectory() == null ? Path.of("") : settings.configDirectory();
        Path root = MailLocation.resolve(location == null ? "" : location, user, base);
        MaildirQuota quota = quota(root);
        quota.setPolicy(QuotaPolicy.forUser(user, settings));
        if (!Files.isDirectory(root.resolve("cur"))) {
            initialize(root);
        }
        return new MaildirMailStore(user.user(), root, this, defaults);
    }

    /** A new user's Maildir: the root, the default folders and their subscriptions (Dovecot auto = subscribe). */
    private void initialize(Path root) throws StorageException {
        synchronized (this) {
            if (Files.isDirectory(root.resolve("cur"))) {
                return;
            }
            try {
                Files.createDirectories(root.getParent());
            } catch (IOException e) {
                throw new StorageException(StorageError.TEMPORARY, "Creating " + root.getParent() + " failed: " + e.getMessage(), e);
            }
            // Built under a temporary name and renamed into place, so a crash leaves no half-made store.
            Path building = root.resolveSibling("." + root.getFileName() + ".new." + System.nanoTime());
            MaildirMailStore.createFolder(building, building, fsync);
            for (String name : defaults.keySet()) {
                try {
                    String n = MailboxNames.validate(name);
                    MaildirMailStore.createFolder(building, MaildirLayout.dirOf(building, n), fsync);
                } catch (StorageException e) {
                    if (e.error() != StorageError.EXISTS) {
                        throw e;
                    }
                }
            }
            MailboxListFiles lists = new MailboxListFiles(building, fsync);
            lists.updateSubscriptions(s -> {
                s.add(MailboxNames.INBOX);
                s.addAll(defaults.keySet());
                return s;
            });
            try {
                Files.move(building, root, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                fsync.directory(root.getParent());
            } catch (IOException e) {
                FileTrees.deleteQuietly(building);
                if (!Files.isDirectory(root.resolve("cur"))) {
                    throw new StorageException(StorageError.TEMPORARY, "Creating " + root + " failed: " + e.getMessage(), e);
                }
            }
        }
    }

    FsyncPolicy fsync() {
        return fsync;
    }

    MaildirQuota quota(Path root) {
        return quotas.computeIfAbsent(root, MaildirQuota::new);
    }

    UidValidityGenerator uidValidities(Path root) {
        return uidValidities.computeIfAbsent(root, UidValidityGenerator::new);
    }

    MaildirFolder acquire(Path dir, String name, Path root) {
        MaildirFolder f = folders.compute(dir, (k, existing) -> {
            MaildirFolder use = existing != null && !existing.isGone() ? existing : new MaildirFolder(name, dir, fsync, quota(root));
            use.users++;
            return use;
        });
        if (folders.size() > MAX_IDLE_FOLDERS) {
            trimIdle();
        }
        return f;
    }

    /** How many folders' state is in memory, open or idle (monitoring, tests). */
    public int residentFolders() {
        return folders.size();
    }

    void release(MaildirFolder f) {
        folders.computeIfPresent(f.dir, (k, existing) -> {
            if (existing == f) {
                existing.users--;
                existing.releasedAt = System.nanoTime();
            }
            return existing;
        });
        if (f.users == 0 && idleMessages() > idleMessageBudget) {
            trimIdle();
        }
    }

    /** Messages held by folder states nobody uses (read without their locks: an estimate is enough). */
    private long idleMessages() {
        long n = 0;
        for (MaildirFolder f : folders.values()) {
            if (f.users == 0) {
                n += f.size();
            }
        }
        return n;
    }

    /**
     * Drops idle folder states, least recently released first, until at most half of {@link #MAX_IDLE_FOLDERS}
     * folders remain (when there were more than that) and the idle ones hold at most {@link #idleMessageBudget}
     * messages. A dropped folder is loaded again from its index when next opened.
     */
    private synchronized void trimIdle() {
        List<MaildirFolder> idle = new ArrayList<>();
        for (MaildirFolder f : folders.values()) {
            if (f.users == 0) {
                idle.add(f);
            }
        }
        idle.sort(Comparator.comparingLong((MaildirFolder f) -> f.releasedAt));
        boolean tooMany = folders.size() > MAX_IDLE_FOLDERS;
        long idleMessages = idle.stream().mapToLong(MaildirFolder::size).sum();
        for (MaildirFolder candidate : idle) {
            if ((!tooMany || folders.size() <= MAX_IDLE_FOLDERS / 2) && idleMessages <= idleMessageBudget) {
                return;
            }
            boolean[] dropped = {false};
            folders.computeIfPresent(candidate.dir, (k, f) -> {
                if (f != candidate || f.users > 0) {
                    return f; // taken again meanwhile
                }
                f.index.close();
                dropped[0] = true;
                return null;
            });
            if (dropped[0]) {
                idleMessages -= candidate.size();
            }
        }
    }

    /** Writes what the folder indexes still buffer (daemon shutdown). */
    @Override
    public void close() {
        for (MaildirFolder f : folders.values()) {
            f.lock();
            try {
                f.index.close();
            } finally {
                f.unlock();
            }
        }
    }

    /** The folder at dir was deleted or renamed away: its views learn it, its state is dropped. */
    void folderGone(Path dir) {
        MaildirFolder f = folders.remove(dir);
        if (f != null) {
            f.lock();
            try {
                f.markGone();
                f.index.close();
            } finally {
                f.unlock();
            }
        }
    }
}
