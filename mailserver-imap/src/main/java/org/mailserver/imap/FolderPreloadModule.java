package org.mailserver.imap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.BackgroundThread;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;
import org.mailserver.imap.session.RecentFolders;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link RecentFolders} across restarts and, right after the daemon starts, loads the indexes of the
 * mailboxes IMAP clients opened most recently before it stopped, newest first, until
 * {@code imap_preload_messages} messages are loaded: in one background thread, through the same
 * store the IMAP sessions use, so that the first SELECT of such a folder after a restart finds it in memory.
 *
 * <p>Why: after a restart, the first SELECT of a 10,000-message folder read and decoded its 9 MB index (50-90
 * ms in a JVM that has just started) where Dovecot maps its index file and reads only what it needs
 * (about 25 ms); a restart is when every client reconnects at once. Memory: a loaded folder takes about what its
 * first SELECT would have taken (about 1.2 KB a message with the header summaries of a Thunderbird-sized
 * mailbox). The list is written at a clean stop, read at start; a user no longer in the userdb, or a
 * mailbox no longer there, is skipped. Any failure only logs: this is a hint, never needed for correctness.
 */
public final class FolderPreloadModule implements DaemonModule {
    private static final Logger LOG = LoggerFactory.getLogger(FolderPreloadModule.class);
    /** Wall time the preload may take. */
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(30);
    private Path file;
    private RecentFolders recent;
    private final BackgroundThread thread = new BackgroundThread();

    @Override
    public int order() {
        return 1900; // after the auth layer and the store, before the start-up warm-up (2000)
    }

    @Override
    public void start(Settings settings, Services services) {
        long budget = settings.getInt(ImapParameters.PRELOAD_MESSAGES);
        if (budget <= 0) {
            return;
        }
        file = settings.getPath("data_directory").resolve(RecentFolders.FILE);
        recent = new RecentFolders();
        services.register(RecentFolders.class, recent);
        List<RecentFolders.Folder> before;
        try {
            before = RecentFolders.read(file);
        } catch (IOException e) {
            LOG.warn("{}: unreadable, no folders preloaded: {}", file, e.toString());
            return;
        }
        recent.seed(before); // a restart without any IMAP activity keeps the list
        AuthService auth = services.find(AuthService.class).orElse(null);
        MailStoreProvider store = services.find(MailStoreProvider.class).orElse(null);
        if (before.isEmpty() || auth == null || store == null) {
            return;
        }
        thread.start("folder-preload", () -> {
            long start = System.nanoTime();
            Result r = preload(before, auth, store, budget, start + BUDGET_NANOS);
            LOG.info("preloaded {} IMAP folders ({} messages) in {} ms (imap_preload_messages = 0 turns it off)",
                r.folders(), r.messages(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
    }

    @Override
    public void stop() {
        thread.stop(2000);
        if (recent != null) {
            try {
                recent.write(file);
            } catch (IOException e) {
                LOG.warn("{}: not written: {}", file, e.toString());
            }
        }
    }

    /** How much a preload loaded. */
    public record Result(int folders, long messages) {
    }

    /**
     * Opens each folder (newest first) and closes it again, which leaves its state loaded in the store, until
     * {@code maxMessages} messages are loaded, the deadline passes or the thread is interrupted.
     */
    public static Result preload(List<RecentFolders.Folder> folders, AuthService auth, MailStoreProvider provider,
                                 long maxMessages, long deadline) {
        int loaded = 0;
        long messages = 0;
        for (RecentFolders.Folder f : folders) {
            if (messages >= maxMessages || System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                UserInfo user = auth.lookupUser(f.user()).orElse(null);
                if (user == null) {
                    continue; // no longer a user
                }
                try (MailStore store = provider.open(user); Mailbox mailbox = store.open(f.mailbox())) {
                    messages += mailbox.uids().length;
                    loaded++;
                }
            } catch (StorageException | RuntimeException e) {
                LOG.debug("preload of {} of {} skipped: {}", f.mailbox(), f.user(), e.toString());
            }
        }
        return new Result(loaded, messages);
    }
}
