package org.mailserver.imap.interop;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.daemon.Daemon;
import org.mailserver.core.server.ListenerGroup;
import org.mailserver.imap.wire.ImapTestClientAccess;

/**
 * The real daemon with this module on its class path: master.cf {@code imap} (STARTTLS) and {@code imaps}
 * (wrapper mode) listeners, the passwd-file auth service, the Maildir store and the generated self-signed
 * certificate; found through the SPI registrations only.
 */
@Timeout(60)
class DaemonEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void imapAndImapsThroughTheDaemon() throws Exception {
        Files.writeString(dir.resolve("users"), "alice@example.test:{PLAIN}Passw0rd!::::::\n");
        Files.writeString(dir.resolve("main.cf"), String.join("\n",
            "myhostname = mail.example.test", "data_directory = " + dir.resolve("data"),
            "queue_directory = " + dir.resolve("queue"), "passdb = passwd-file:" + dir.resolve("users"),
            "mail_location = maildir:" + dir.resolve("mail") + "/%d/%n", "auth_failure_delay = 0", "mail_fsync = never", ""));
        Files.writeString(dir.resolve("master.cf"),
            "imap imap 127.0.0.1:0\nimaps imap 127.0.0.1:0 -o imap_tls_wrappermode=yes\n");
        Daemon daemon = new Daemon(dir);
        daemon.start();
        try {
            int imap = port(daemon, "imap");
            int imaps = port(daemon, "imaps");
            try (ImapTestClientAccess c = ImapTestClientAccess.plain(imap)) {
                assertTrue(c.readLine().contains("STARTTLS"));
                c.ok("t", "STARTTLS");
                c.startTls();
                c.ok("l", "LOGIN alice@example.test Passw0rd!");
                String m = "Subject: through the daemon\r\n\r\nhello\r\n";
                c.ok("a", "APPEND INBOX {" + m.length() + "+}\r\n" + m);
                c.ok("o", "LOGOUT");
            }
            try (ImapTestClientAccess c = ImapTestClientAccess.tls(imaps)) {
                assertTrue(c.readLine().startsWith("* OK [CAPABILITY IMAP4rev1"));
                c.ok("l", "LOGIN alice@example.test Passw0rd!");
                List<String> sel = c.ok("s", "SELECT INBOX");
                assertTrue(String.join("\n", sel).contains("* 1 EXISTS"), sel.toString());
                List<String> f = c.ok("f", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject)] ENVELOPE)");
                assertTrue(String.join("\n", f).contains("Subject: through the daemon"), f.toString());
                String list = String.join("\n", c.ok("l2", "LIST (SUBSCRIBED) \"\" \"*\" RETURN (SPECIAL-USE)"));
                assertTrue(list.contains("\\Sent") && list.contains("\\Trash"), list);
            }
            assertTrue(Files.isDirectory(dir.resolve("mail/example.test/alice/cur")), "Maildir created by the store");
        } finally {
            daemon.stop();
        }
    }

    private static int port(Daemon daemon, String service) {
        for (ListenerGroup.BoundListener l : daemon.listeners().listeners()) {
            if (l.serviceName().equals(service)) {
                return ((InetSocketAddress) l.addresses().get(0)).getPort();
            }
        }
        throw new AssertionError("no listener " + service);
    }
}
