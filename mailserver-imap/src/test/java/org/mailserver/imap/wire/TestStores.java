package org.mailserver.imap.wire;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.FileTrees;

/**
 * The stores protocol tests replay against: always the in-memory store, and the Maildir store when it is on
 * the class path (looked up by name so that this module's tests compile before the Maildir store is merged;
 * once it is, the same tests run against it without change).
 */
public final class TestStores {
    static final String MAILDIR_PROVIDER = "org.mailserver.storage.maildir.MaildirMailStoreProvider";

    private TestStores() {
    }

    /** A named store factory; {@code create} makes a fresh, empty store. */
    public record Kind(String name, java.util.concurrent.Callable<MailStoreProvider> create) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Kind> all() {
        List<Kind> kinds = new ArrayList<>();
        kinds.add(new Kind("memory", InMemoryMailStoreProvider::new));
        if (maildirAvailable()) {
            kinds.add(new Kind("maildir", TestStores::maildir));
        }
        return kinds;
    }

    public static boolean maildirAvailable() {
        try {
            Class.forName(MAILDIR_PROVIDER);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** A Maildir store under a fresh temporary directory ({@code mail_location = maildir:DIR/%u}). */
    public static MailStoreProvider maildir() throws Exception {
        Path root = Files.createTempDirectory("imap-maildir");
        // deleteOnExit removes only an empty directory: each of these held a Maildir and stayed in /tmp
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAtExit(root)));
        Settings settings = Settings.of(Map.of("mail_location", "maildir:" + root + "/%u", "mail_fsync", "never"));
        return (MailStoreProvider) Class.forName(MAILDIR_PROVIDER).getConstructor(Settings.class).newInstance(settings);
    }

    /**
     * Removes a test Maildir at JVM exit. A few tries: shutdown hooks run side by side with the daemon threads
     * still alive, and a session closing its mailbox may write a file into the tree while it is being removed.
     */
    private static void deleteAtExit(Path root) {
        for (int attempt = 0; attempt < 5 && Files.exists(root); attempt++) {
            FileTrees.deleteQuietly(root);
            if (Files.exists(root)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
