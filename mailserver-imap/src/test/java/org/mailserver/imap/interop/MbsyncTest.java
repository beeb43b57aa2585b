package org.mailserver.imap.interop;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.imap.wire.ImapTestServer;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/**
 * isync's mbsync syncs an account both ways over implicit TLS, then again with no changes, then carries a
 * local flag change to the server. Skipped when mbsync is not installed.
 */
@Timeout(60)
class MbsyncTest {
    static final String MSG = "From: a@example.org\r\nTo: alice@example.org\r\nSubject: %s\r\nMessage-ID: <%s@example.org>\r\n\r\nbody %s\r\n";

    @TempDir
    Path dir;
    ImapTestServer server;

    /** The Maildir store when it is on the class path (as a daemon would run), else the in-memory one. */
    static MailStoreProvider store() throws Exception {
        return org.mailserver.imap.wire.TestStores.maildirAvailable()
            ? org.mailserver.imap.wire.TestStores.maildir() : new InMemoryMailStoreProvider();
    }

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mbsync")), "mbsync not installed");
        server = new ImapTestServer(store(), Map.of(), true, false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serverAppend(String mailbox, String subject) throws Exception {
        try (var c = org.mailserver.imap.wire.ImapTestClientAccess.tls(server.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            c.command("c", "CREATE " + mailbox);
            String m = String.format(MSG, subject, subject, subject);
            c.ok("a", "APPEND " + mailbox + " {" + m.length() + "+}\r\n" + m);
        }
    }

    private String run(Path config) throws Exception {
        Process p = new ProcessBuilder("mbsync", "-V", "-c", config.toString(), "-a").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** File names of every message on the local side (names carry mbsync's UID and the flags). */
    private static String snapshot(Path mail) throws Exception {
        try (Stream<Path> s = Files.walk(mail)) {
            return s.filter(Files::isRegularFile).map(p -> mail.relativize(p).toString())
                .filter(n -> n.contains("/cur/") || n.contains("/new/")).sorted().toList().toString();
        }
    }

    /** UIDs, flags and HIGHESTMODSEQ of both server mailboxes. */
    private String serverState() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var c = org.mailserver.imap.wire.ImapTestClientAccess.tls(server.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            for (String box : List.of("INBOX", "Work")) {
                for (String line : c.ok("s", "EXAMINE " + box)) {
                    if (line.contains("HIGHESTMODSEQ") || line.contains("EXISTS")) {
                        sb.append(line).append('\n');
                    }
                }
                for (String line : c.ok("f", "FETCH 1:* (UID FLAGS)")) {
                    sb.append(line.replace("\\Recent", "")).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static long count(Path maildir) throws Exception {
        long n = 0;
        for (String sub : List.of("cur", "new")) {
            if (Files.isDirectory(maildir.resolve(sub))) {
                try (Stream<Path> s = Files.list(maildir.resolve(sub))) {
                    n += s.count();
                }
            }
        }
        return n;
    }

    @Test
    void syncsBothWaysAndThenFindsNothingToDo() throws Exception {
        serverAppend("INBOX", "server-one");
        serverAppend("INBOX", "server-two");
        serverAppend("Work", "server-work");
        Path mail = dir.resolve("mail");
        Path inbox = mail.resolve("INBOX");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(inbox.resolve(sub));
        }
        Files.writeString(inbox.resolve("new/1700000000.local1.host"), String.format(MSG, "local-one", "local-one", "local-one").replace("\r\n", "\n"));
        Path config = dir.resolve("mbsyncrc");
        Files.writeString(config, String.join("\n",
            "IMAPAccount test", "Host 127.0.0.1", "Port " + server.port(), "User alice", "Pass secret",
            "SSLType IMAPS", "CertificateFile " + ImapTestServer.CERTIFICATE.getAbsolutePath(), "AuthMechs LOGIN", "",
            "IMAPStore remote", "Account test", "",
            "MaildirStore local", "Path " + mail + "/", "Inbox " + inbox, "SubFolders Verbatim", "",
            "Channel sync", "Far :remote:", "Near :local:", "Patterns INBOX Work", "Create Both", "Expunge Both",
            "SyncState *", ""));

        String first = run(config);
        assertEquals(3, count(inbox), first);
        assertEquals(1, count(mail.resolve("Work")), first);
        String local = snapshot(mail);
        String remote = serverState();
        String second = run(config);
        assertEquals(local, snapshot(mail), "second run changed the local side: " + second);
        assertEquals(remote, serverState(), "second run changed the server (modseq or flags): " + second);

        try (var c = org.mailserver.imap.wire.ImapTestClientAccess.tls(server.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            assertTrue(String.join("\n", c.ok("s", "STATUS INBOX (MESSAGES)")).contains("MESSAGES 3"));
        }

        // a local flag change travels to the server, then nothing more is to be done
        Path one;
        try (Stream<Path> s = Stream.concat(Files.list(inbox.resolve("cur")), Files.list(inbox.resolve("new")))) {
            one = s.findFirst().orElseThrow();
        }
        String name = one.getFileName().toString();
        int info = name.indexOf(":2,");
        String base = info < 0 ? name : name.substring(0, info);
        String flags = info < 0 ? "" : name.substring(info + 3).replace("F", "");
        Files.move(one, inbox.resolve("cur").resolve(base + ":2,F" + flags));
        String third = run(config);
        assertNotEquals(remote, serverState(), "flag change did not reach the server: " + third);
        try (var c = org.mailserver.imap.wire.ImapTestClientAccess.tls(server.port())) {
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            c.ok("s", "SELECT INBOX");
            assertTrue(String.join("\n", c.ok("f", "SEARCH FLAGGED")).matches("(?s).*\\* SEARCH \\d.*"));
        }
    }
}
