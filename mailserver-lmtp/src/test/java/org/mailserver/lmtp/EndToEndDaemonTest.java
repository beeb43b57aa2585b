package org.mailserver.lmtp;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.daemon.Daemon;
import org.mailserver.core.server.ListenerGroup;
import org.mailserver.smtp.testing.SmtpClient;

/**
 * The whole daemon with the real modules (passwd-file auth, Maildir store, durable queue, SMTP, LMTP),
 * as an admin would run it: a message to a local user over port 25, over submission with STARTTLS and
 * AUTH, and over LMTP each land in the user's Maildir; a stranger cannot relay.
 */
@Timeout(90)
class EndToEndDaemonTest {
    @TempDir
    Path dir;
    private Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private int port(String service) {
        for (ListenerGroup.BoundListener l : daemon.listeners().listeners()) {
            if (l.serviceName().equals(service)) {
                return ((InetSocketAddress) l.addresses().get(0)).getPort();
            }
        }
        throw new IllegalStateException("no listener " + service);
    }

    private long maildirCount() throws Exception {
        Path inbox = dir.resolve("mail/example.test/alice/new");
        if (!Files.isDirectory(inbox)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(inbox)) {
            return s.count();
        }
    }

    private void awaitMaildir(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (maildirCount() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(expected, maildirCount());
    }

    private static void send(SmtpClient c, String from, String to, String subject) {
        assertEquals(250, c.cmd("MAIL FROM:<" + from + ">").code());
        assertEquals(250, c.cmd("RCPT TO:<" + to + ">").code());
        assertEquals(354, c.cmd("DATA").code());
        c.raw("Subject: " + subject + "\r\n\r\nhello\r\n.\r\n");
        assertEquals(250, c.read().code());
    }

    @Test
    void mailLandsInMaildirOverSmtpSubmissionAndLmtp() throws Exception {
        Files.writeString(dir.resolve("users"), "alice@example.test:{PLAIN}secret::::::\n");
        Files.writeString(dir.resolve("main.cf"), String.join("\n",
            "myhostname = mail.example.test",
            "mydomain = example.test",
            "mydestination = localhost",
            "virtual_mailbox_domains = example.test",
            "inet_interfaces = loopback-only",
            "mynetworks = 192.0.2.0/24",
            "queue_directory = " + dir.resolve("queue"),
            "data_directory = " + dir.resolve("data"),
            "mail_location = maildir:" + dir.resolve("mail") + "/%d/%n",
            "passdb = passwd-file:" + dir.resolve("users"),
            "userdb = passwd-file:" + dir.resolve("users"),
            "smtpd_peername_lookup = no",
            ""));
        Files.writeString(dir.resolve("master.cf"), String.join("\n",
            "smtp        smtp  127.0.0.1:0",
            "submission  smtp  127.0.0.1:0",
            "  -o smtpd_tls_security_level=encrypt",
            "  -o smtpd_sasl_auth_enable=yes",
            "lmtp        lmtp  127.0.0.1:0",
            ""));
        daemon = new Daemon(dir);
        daemon.start();

        try (SmtpClient c = SmtpClient.connect(port("smtp"))) {
            assertEquals(220, c.read().code());
            c.cmd("EHLO client.example.net");
            send(c, "someone@example.net", "alice@example.test", "over port 25");
            c.cmd("MAIL FROM:<spammer@example.net>");
            assertEquals(554, c.cmd("RCPT TO:<victim@elsewhere.example>").code(), "no relaying for strangers");
        }
        awaitMaildir(1);

        try (SmtpClient c = SmtpClient.connect(port("submission"))) {
            c.read();
            c.cmd("EHLO laptop");
            assertEquals(220, c.cmd("STARTTLS").code());
            c.startTls();
            c.cmd("EHLO laptop");
            assertEquals(235, c.cmd("AUTH PLAIN " + SmtpClient.plain("alice@example.test", "secret")).code());
            send(c, "alice@example.test", "alice@example.test", "over submission");
        }
        awaitMaildir(2);

        try (SmtpClient c = SmtpClient.connect(port("lmtp"))) {
            c.read();
            c.cmd("LHLO mta.example.net");
            send(c, "someone@example.net", "alice@example.test", "over lmtp");
        }
        awaitMaildir(3);
    }
}
