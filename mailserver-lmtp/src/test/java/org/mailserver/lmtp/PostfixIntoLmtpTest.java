package org.mailserver.lmtp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.Settings;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.MailStoreProvider;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;
import org.mailserver.storage.support.StoreLocalDelivery;
import org.mailserver.smtp.testing.SmtpClient;
import org.mailserver.smtp.testing.TestServer;

/**
 * A real Postfix (the Debian package, not the system instance) relays into our LMTP listener as
 * {@code virtual_transport = lmtp:inet:127.0.0.1:PORT}: a private instance with its own configuration
 * and queue directories under a temporary directory, on loopback ports, started and stopped by the test.
 * Needs root (Postfix's master) and the postfix binary; skipped otherwise.
 */
@Timeout(90)
class PostfixIntoLmtpTest {
    @TempDir
    Path dir;
    private TestServer lmtp;
    private InMemoryMailStoreProvider stores;
    private Path conf;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(new File("/usr/sbin/postfix").canExecute(), "postfix is not installed");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a private Postfix needs root");
        lmtp = new TestServer(new LmtpProtocolHandlerFactory(), "lmtp", false, TestServer.defaults());
        stores = new InMemoryMailStoreProvider(Settings.of(Map.of()));
        lmtp.services.register(MailStoreProvider.class, stores);
        lmtp.services.register(LocalDelivery.class, new StoreLocalDelivery(stores, Settings.of(Map.of())));
    }

    @AfterEach
    void stop() throws Exception {
        if (conf != null) {
            postfix("stop");
        }
        if (lmtp != null) {
            lmtp.close();
        }
    }

    private int postfix(String command) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/postfix", "-c", conf.toString(), command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "postfix " + command + " hung");
        if (p.exitValue() != 0) {
            System.err.println("postfix " + command + ": " + out);
        }
        return p.exitValue();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void postfixDeliversThroughLmtp() throws Exception {
        int smtpPort = freePort();
        // Postfix's daemons drop to the postfix user and open files under data_directory: the path must be traversable.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        UserPrincipal postfixUser = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
        Files.setOwner(data, postfixUser);
        Files.writeString(conf.resolve("main.cf"), String.join("\n",
            "compatibility_level = 3.6",
            "queue_directory = " + queue,
            "data_directory = " + data,
            "meta_directory = /etc/postfix",
            "mail_owner = postfix",
            "setgid_group = postdrop",
            "myhostname = pf.example.org",
            "mydestination =",
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "virtual_mailbox_domains = example.com",
            "virtual_transport = lmtp:inet:127.0.0.1:" + lmtp.port(),
            "mynetworks = 127.0.0.0/8",
            "maillog_file = " + dir.resolve("maillog"),
            "maillog_file_prefixes = " + dir,
            "alias_maps =",
            "alias_database =",
            "local_recipient_maps =",
            "smtputf8_enable = no",
            "biff = no",
            ""));
        Files.writeString(conf.resolve("master.cf"), String.join("\n",
            "127.0.0.1:" + smtpPort + " inet n - n - - smtpd",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "smtp unix - - n - - smtp",
            "showq unix n - n - - showq",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "lmtp unix - - n - - lmtp",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
            ""));
        assertEquals(0, postfix("start"), "postfix start");
        try (SmtpClient c = waitForSmtp(smtpPort)) {
            assertEquals(220, c.read().code());
            assertEquals(250, c.cmd("EHLO client.example.net").code());
            assertEquals(250, c.cmd("MAIL FROM:<sender@example.net>").code());
            assertEquals(250, c.cmd("RCPT TO:<alice@example.com>").code());
            assertEquals(250, c.cmd("RCPT TO:<bob+x@example.com>").code());
            assertEquals(354, c.cmd("DATA").code());
            c.raw("Subject: through postfix\r\n\r\nHello via Postfix and LMTP.\r\n.\r\n");
            assertEquals(250, c.read().code());
            c.cmd("QUIT");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (System.nanoTime() < deadline && (inbox("alice@example.com").isEmpty() || inbox("bob@example.com").isEmpty())) {
            Thread.sleep(200);
        }
        List<String> alice = inbox("alice@example.com");
        String log = Files.exists(dir.resolve("maillog")) ? Files.readString(dir.resolve("maillog")) : "(no log)";
        assertEquals(1, alice.size(), log);
        assertTrue(alice.get(0).contains("Subject: through postfix"), alice.get(0));
        assertTrue(alice.get(0).contains("by mx.example.org (mailserver) with LMTP id"), alice.get(0));
        assertTrue(alice.get(0).contains("Delivered-To: alice@example.com"), alice.get(0));
        assertEquals(1, inbox("bob@example.com").size(), log);
    }

    private static SmtpClient waitForSmtp(int port) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                return SmtpClient.connect(port);
            } catch (RuntimeException e) {
                Thread.sleep(200);
            }
        }
        return SmtpClient.connect(port);
    }

    private List<String> inbox(String user) throws Exception {
        try (MailStore store = stores.open(LmtpServerTest.user(user, Map.of())); Mailbox box = store.open("INBOX")) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (MessageMeta m : box.messages()) {
                try (InputStream in = box.open(m.uid())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }
}
