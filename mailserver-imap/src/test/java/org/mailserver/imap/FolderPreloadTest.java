package org.mailserver.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.Services;
import org.mailserver.imap.session.RecentFolders;
import org.mailserver.imap.session.RecentFolders.Folder;
import org.mailserver.imap.wire.TestAuthService;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.maildir.MaildirMailStoreProvider;

/** {@link RecentFolders} and {@link FolderPreloadModule}: the list, its file, and the preload after a start. */
@Timeout(30)
class FolderPreloadTest {
    @TempDir
    Path dir;

    /** A userdb of the given users (the wire tests' fixed user table). */
    private static AuthService users(String... names) {
        Map<String, String> passwords = new HashMap<>();
        for (String n : names) {
            passwords.put(n, "unused");
        }
        return new TestAuthService(passwords, true);
    }

    private Settings settings() {
        Map<String, String> m = new HashMap<>();
        m.put("mail_location", "maildir:" + dir.resolve("mail") + "/%n");
        m.put("mail_fsync", "never");
        m.put("data_directory", dir.toString());
        return Settings.of(m);
    }

    /** Gives alice an INBOX of three messages and a Sent of two, through a provider of its own. */
    private void fill(Settings s) throws Exception {
        try (MaildirMailStoreProvider p = new MaildirMailStoreProvider(s);
             MailStore store = p.open(users("alice").lookupUser("alice").orElseThrow())) {
            store.list(); // creates the Maildir and its default folders
            append(store, "INBOX", 3);
            append(store, "Sent", 2);
        }
    }

    private static void append(MailStore store, String folder, int n) throws Exception {
        try (Mailbox mb = store.open(folder)) {
            for (int i = 0; i < n; i++) {
                byte[] m = ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
                mb.append(new ByteArrayInputStream(m), Set.of(), Set.of(), Instant.now());
            }
        }
    }

    @Test
    void theListKeepsTheMostRecentlyOpenedFirstAndAtMostItsCapacity() {
        RecentFolders r = new RecentFolders();
        r.opened("a", "INBOX");
        r.opened("b", "INBOX");
        r.opened("c", "Sent");
        r.opened("a", "INBOX");
        assertEquals(List.of(new Folder("a", "INBOX"), new Folder("c", "Sent"), new Folder("b", "INBOX")), r.mostRecentFirst());
        r.seed(List.of(new Folder("x", "INBOX"), new Folder("b", "INBOX")));
        // seeded folders are older than the ones opened in this run
        assertEquals(List.of(new Folder("a", "INBOX"), new Folder("c", "Sent"), new Folder("b", "INBOX"),
            new Folder("x", "INBOX")), r.mostRecentFirst());
        for (int i = 0; i < RecentFolders.CAPACITY + 10; i++) {
            r.opened("u" + i, "INBOX");
        }
        List<Folder> all = r.mostRecentFirst();
        assertEquals(RecentFolders.CAPACITY, all.size());
        assertEquals(new Folder("u" + (RecentFolders.CAPACITY + 9), "INBOX"), all.get(0));
        assertTrue(!all.contains(new Folder("a", "INBOX")), "the oldest were dropped");
    }

    @Test
    void theFileKeepsAnyNameAndSkipsLinesThatDoNotRead() throws Exception {
        RecentFolders r = new RecentFolders();
        r.opened("bob@example.org", "INBOX");
        r.opened("ann+x@example.org", "Entwürfe/100% sicher\tja");
        Path file = dir.resolve(RecentFolders.FILE);
        r.write(file);
        assertEquals(r.mostRecentFirst(), RecentFolders.read(file));
        Files.writeString(file, "no-tab-here\n" + Files.readString(file) + "x\ty\tz\nbad%zz\tINBOX\n");
        assertEquals(r.mostRecentFirst(), RecentFolders.read(file));
        assertEquals(List.of(), RecentFolders.read(dir.resolve("absent")));
    }

    @Test
    void preloadLoadsTheListedFoldersOfKnownUsersWithinTheMessageBudget() throws Exception {
        Settings s = settings();
        fill(s);
        List<Folder> list = List.of(new Folder("ghost", "INBOX"), new Folder("alice", "Nope"),
            new Folder("alice", "INBOX"), new Folder("alice", "Sent"));
        try (MaildirMailStoreProvider p = new MaildirMailStoreProvider(s)) {
            assertEquals(0, p.residentFolders());
            var r = FolderPreloadModule.preload(list, users("alice"), p, 1000, Long.MAX_VALUE);
            assertEquals(new FolderPreloadModule.Result(2, 5), r);
            assertEquals(2, p.residentFolders(), "both folders stay loaded after the preload closed them");
        }
        try (MaildirMailStoreProvider p = new MaildirMailStoreProvider(s)) {
            // the budget is reached after the first folder: the second is not loaded
            assertEquals(new FolderPreloadModule.Result(1, 3),
                FolderPreloadModule.preload(list, users("alice"), p, 3, Long.MAX_VALUE));
            assertEquals(1, p.residentFolders());
        }
    }

    @Test
    void theModuleWritesTheListAtStopAndPreloadsItAtTheNextStart() throws Exception {
        Settings s = settings();
        fill(s);
        try (MaildirMailStoreProvider p = new MaildirMailStoreProvider(s)) {
            Services services = new Services();
            services.register(AuthService.class, users("alice"));
            services.register(MailStoreProvider.class, p);
            FolderPreloadModule first = new FolderPreloadModule();
            first.start(s, services);
            services.require(RecentFolders.class).opened("alice", "Sent"); // as SELECT does
            first.stop();
        }
        assertEquals(List.of(new Folder("alice", "Sent")), RecentFolders.read(dir.resolve(RecentFolders.FILE)));
        try (MaildirMailStoreProvider p = new MaildirMailStoreProvider(s)) {
            Services services = new Services();
            services.register(AuthService.class, users("alice"));
            services.register(MailStoreProvider.class, p);
            FolderPreloadModule second = new FolderPreloadModule();
            second.start(s, services);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (p.residentFolders() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, p.residentFolders(), "Sent was preloaded");
            second.stop();
        }
        assertEquals(List.of(new Folder("alice", "Sent")), RecentFolders.read(dir.resolve(RecentFolders.FILE)),
            "a run without IMAP activity keeps the list");
    }
}
