package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailboxInfo;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.Mailbox.StoreMode;
import org.mailserver.storage.MessageMeta;

/**
 * Interoperability with the real Dovecot (Debian's dovecot-core), both directions: a private
 * {@code dovecot -c FILE} with no protocols, its own base_dir, a static userdb (uid of nobody when
 * we run as root, our own uid otherwise) and mail_location pointing at the test's Maildirs, driven
 * with doveadm. Skipped only when doveadm is not installed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DovecotInteropTest {
    private static Path dir;
    private static Path conf;
    private static String uid;
    private static boolean root;

    @BeforeAll
    static void startDovecot() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/doveadm")) && Files.isExecutable(Path.of("/usr/sbin/dovecot")),
            "Dovecot is not installed");
        dir = Files.createTempDirectory("dovecot-interop");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("base"));
        String user = System.getProperty("user.name");
        root = "root".equals(user);
        uid = root ? "65534" : run(List.of("id", "-u")).trim();
        String gid = root ? "65534" : run(List.of("id", "-g")).trim();
        String internal = root ? "nobody" : user;
        String group = root ? run(List.of("id", "-gn", "nobody")).trim() : run(List.of("id", "-gn")).trim();
        conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, String.join("\n",
            "protocols =",
            "base_dir = " + dir.resolve("base"),
            "state_dir = " + dir.resolve("base/state"),
            "log_path = " + dir.resolve("dovecot.log"),
            "ssl = no",
            "mail_location = maildir:" + dir.resolve("mail") + "/%n",
            "passdb {", "  driver = static", "  args = password=x", "}",
            "userdb {", "  driver = static", "  args = uid=" + uid + " gid=" + gid + " home=" + dir.resolve("mail") + "/%n", "}",
            "namespace inbox {", "  inbox = yes", "  separator = /", "}",
            "default_internal_user = " + internal,
            "default_internal_group = " + group,
            "default_login_user = " + internal,
            "") + "\n");
        chownForDovecot();
        run(List.of("/usr/sbin/dovecot", "-c", conf.toString()));
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (conf != null) {
            try {
                run(List.of("/usr/bin/doveadm", "-c", conf.toString(), "stop"));
            } finally {
                org.mailserver.storage.support.FileTrees.deleteQuietly(dir);
            }
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, null);
    }

    /**
     * Runs a command with its output in a file, not a pipe: dovecot daemonizes and its children keep
     * inherited pipes open, so reading a pipe to its end would never return.
     */
    private static String run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dovecot-cmd", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timeout: " + cmd);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), cmd + " failed: " + text);
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String doveadm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/doveadm", "-c", conf.toString(), "-f", "flow"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static void save(String user, String mailbox, String message) throws Exception {
        run(List.of("/usr/bin/doveadm", "-c", conf.toString(), "save", "-u", user, "-m", mailbox), message);
    }

    /** uid -> flags (without \Recent) from {@code doveadm fetch 'uid flags'}. */
    private static Map<Long, Set<String>> fetchFlags(String user, String mailbox) throws Exception {
        Map<Long, Set<String>> out = new LinkedHashMap<>();
        for (String line : doveadm("fetch", "-u", user, "uid flags", "mailbox", mailbox, "all").split("\n")) {
            if (!line.startsWith("uid=")) {
                continue;
            }
            int sp = line.indexOf(" flags=");
            long u = Long.parseLong(line.substring(4, sp));
            Set<String> flags = new java.util.TreeSet<>();
            for (String f : line.substring(sp + 7).trim().split(" ")) {
                if (!f.isEmpty() && !f.equals("\\Recent")) {
                    flags.add(f);
                }
            }
            out.put(u, flags);
        }
        return out;
    }

    private static long uidValidity(String user, String mailbox) throws Exception {
        String out = doveadm("mailbox", "status", "-u", user, "uidvalidity", mailbox).trim();
        return Long.parseLong(out.substring(out.indexOf("uidvalidity=") + 12).split("\\s")[0]);
    }

    private static void chownForDovecot() throws Exception {
        if (root) {
            run(List.of("chown", "-R", uid + ":" + uid, dir.resolve("mail").toString()));
        }
    }

    private static MaildirMailStoreProvider provider() {
        return new MaildirMailStoreProvider(Settings.of(Map.of("mail_location", "maildir:" + dir.resolve("mail") + "/%n", "mail_fsync", "never")));
    }

    private static Map<Long, Set<String>> ours(Mailbox box) throws Exception {
        Map<Long, Set<String>> out = new LinkedHashMap<>();
        for (MessageMeta m : box.messages()) {
            Set<String> flags = new java.util.TreeSet<>();
            m.flags().forEach(f -> flags.add(f.imapName()));
            flags.addAll(m.keywords());
            out.put(m.uid(), flags);
        }
        return out;
    }

    @Test
    void weReadWhatDovecotWrote() throws Exception {
        for (int i = 1; i <= 4; i++) {
            save("dv", "INBOX", "From: a@example.org\nSubject: m" + i + "\n\nbody " + i + "\n");
        }
        doveadm("flags", "add", "-u", "dv", "\\Seen $Forwarded", "mailbox", "INBOX", "uid", "1");
        doveadm("flags", "add", "-u", "dv", "\\Flagged Junk", "mailbox", "INBOX", "uid", "2");
        doveadm("expunge", "-u", "dv", "mailbox", "INBOX", "uid", "3");
        doveadm("mailbox", "create", "-u", "dv", "Archive/2024");
        save("dv", "Archive/2024", "Subject: archived\n\nold\n");
        Map<Long, Set<String>> theirs = fetchFlags("dv", "INBOX");
        long validity = uidValidity("dv", "INBOX");

        UserInfo dv = new UserInfo("dv", uid, uid, null, null, Map.of());
        try (MailStore store = provider().open(dv); Mailbox inbox = store.open("INBOX")) {
            assertEquals(validity, inbox.uidValidity());
            assertEquals(theirs, ours(inbox));
            assertEquals(List.of(1L, 2L, 4L), new ArrayList<>(theirs.keySet()));
            String body = new String(inbox.open(4).readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals("From: a@example.org\r\nSubject: m4\r\n\r\nbody 4\r\n", body);
            assertTrue(store.list().stream().map(MailboxInfo::name).toList().contains("Archive/2024"));
            try (Mailbox archive = store.open("Archive/2024")) {
                assertEquals(uidValidity("dv", "Archive/2024"), archive.uidValidity());
                assertEquals(1, archive.messages().size());
            }
            // And Dovecot sees our change to its Maildir.
            inbox.store(List.of(4L), StoreMode.ADD, Set.of(Flag.ANSWERED), Set.of("$Forwarded"), 0);
            chownForDovecot();
            assertEquals(Set.of("\\Answered", "$Forwarded"), fetchFlags("dv", "INBOX").get(4L));
        }
    }

    @Test
    void dovecotReadsWhatWeWrote() throws Exception {
        UserInfo us = new UserInfo("us", uid, uid, null, null, Map.of());
        long validity;
        Map<Long, Set<String>> ours;
        try (MailStore store = provider().open(us)) {
            store.create("Entw\u00fcrfe", Set.of());
            try (Mailbox inbox = store.open("INBOX")) {
                for (int i = 1; i <= 4; i++) {
                    inbox.append(new ByteArrayInputStream(("Subject: n" + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)),
                        i == 2 ? Set.of(Flag.SEEN, Flag.FLAGGED) : Set.of(), i == 3 ? Set.of("$Label1", "Junk") : Set.of(), null);
                }
                inbox.expunge(List.of(1L));
                validity = inbox.uidValidity();
                ours = ours(inbox);
            }
            try (Mailbox drafts = store.open("Entw\u00fcrfe")) {
                drafts.append(new ByteArrayInputStream("Subject: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(Flag.DRAFT), Set.of(), null);
            }
        }
        chownForDovecot();
        assertEquals(ours, fetchFlags("us", "INBOX"));
        assertEquals(validity, uidValidity("us", "INBOX"));
        String list = doveadm("mailbox", "list", "-u", "us");
        for (String name : List.of("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive", "Entw\u00fcrfe")) {
            assertTrue(list.lines().anyMatch(name::equals), name + " in " + list);
        }
        String subscribed = doveadm("mailbox", "list", "-u", "us", "-s");
        assertTrue(subscribed.lines().anyMatch("Sent"::equals), subscribed);
        assertEquals(Map.of(1L, Set.of("\\Draft")), fetchFlags("us", "Entw\u00fcrfe"));
        String text = doveadm("fetch", "-u", "us", "text", "mailbox", "INBOX", "uid", "2");
        assertTrue(text.contains("Subject: n2"), text);

        // Dovecot changes flags and delivers; we pick both up, with Dovecot's UIDs, on the next sync.
        doveadm("flags", "remove", "-u", "us", "\\Flagged", "mailbox", "INBOX", "uid", "2");
        save("us", "INBOX", "Subject: from dovecot\n\nx\n");
        try (MailStore store = provider().open(us); Mailbox inbox = store.open("INBOX")) {
            inbox.sync();
            Map<Long, Set<String>> after = fetchFlags("us", "INBOX");
            assertEquals(after, ours(inbox));
            assertEquals(5L, inbox.messages().get(inbox.messages().size() - 1).uid());
            assertEquals(Set.of("\\Seen"), after.get(2L));
        }
    }

    static List<Path> files(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.toList();
        }
    }
}
