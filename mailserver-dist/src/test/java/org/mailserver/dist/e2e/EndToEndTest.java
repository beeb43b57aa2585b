package org.mailserver.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailserver.dist.e2e.TestMailServer.ALICE;
import static org.mailserver.dist.e2e.TestMailServer.ALICE_PASSWORD;
import static org.mailserver.dist.e2e.TestMailServer.BOB;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.search.SubjectTerm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server end to end, as a user and a peer MTA see it: the real daemon (every module discovered from
 * the class path, as {@code bin/mailserver} runs it) on a config written like an administrator's, spoken
 * to over loopback with Jakarta Mail, raw SMTP and swaks; results checked in the Maildir files on disk
 * and read back over IMAP.
 */
@Timeout(60)
class EndToEndTest {
    @TempDir
    static Path dir;
    static TestMailServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestMailServer.configure(dir, Map.of(), "").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String unique(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String sendOverMx(String rcpt, String subject) throws Exception {
        return EndToEndTestSupport.sendOverMx(server, rcpt, subject);
    }

    static int code(String reply) {
        return EndToEndTestSupport.code(reply);
    }

    @Test
    void mailToALocalUserOverPort25LandsInTheMaildirNewDirectory() throws Exception {
        String subject = unique("mx");
        sendOverMx(BOB, subject);
        String file = server.awaitInbox(BOB, "Subject: " + subject, Duration.ofSeconds(10));
        assertTrue(file.startsWith("Return-Path: <carol@remote.test>\nDelivered-To: " + BOB + "\n"), file);
        assertTrue(file.contains("\nMessage-ID: <" + subject + "@remote.test>\n"), file);
        assertTrue(file.contains("Received: from mx.remote.test"), file);
        assertTrue(file.endsWith("\n\nHello over port 25.\n"), file);
        List<Path> inNew = server.inboxFiles(BOB).stream().filter(p -> p.getParent().getFileName().toString().equals("new"))
            .toList();
        assertTrue(inNew.stream().anyMatch(p -> read(p).contains(subject)), "delivered to new/: " + inNew);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void submissionWithStartTlsAndAuthPlainLandsInTheRecipientsMaildir() throws Exception {
        String subject = unique("submission");
        MailClients.submit(server, "submission", ALICE, ALICE_PASSWORD, BOB, subject, "Sent with Jakarta Mail through submission.\n");
        String file = server.awaitInbox(BOB, "Subject: " + subject, Duration.ofSeconds(10));
        assertTrue(file.startsWith("Return-Path: <" + ALICE + ">\n"), file);
        assertTrue(file.contains("(using TLSv1."), "Received header records TLS: " + file);
        assertTrue(file.contains(" with ESMTPSA id "), "authenticated submission: " + file);
    }

    @Test
    void submissionsWithImplicitTlsLandsInTheRecipientsMaildir() throws Exception {
        String subject = unique("submissions");
        MailClients.submit(server, "submissions", ALICE, ALICE_PASSWORD, BOB, subject, "Sent with Jakarta Mail through submissions.\n");
        String file = server.awaitInbox(BOB, "Subject: " + subject, Duration.ofSeconds(10));
        assertTrue(file.contains("Sent with Jakarta Mail through submissions."), file);
    }

    @Test
    void lmtpDeliveryWithSwaksLandsInTheMaildir() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/swaks").canExecute(), "swaks not installed");
        String subject = unique("lmtp");
        Process swaks = new ProcessBuilder("swaks", "--protocol", "LMTP", "--server", "127.0.0.1",
            "--port", Integer.toString(server.port("lmtp")), "--from", "carol@remote.test", "--to", BOB,
            "--helo", "relay.remote.test", "--header", "Subject: " + subject, "--body", "Through LMTP.",
            "--timeout", "10").redirectErrorStream(true).start();
        String transcript = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(swaks.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, swaks.exitValue(), transcript);
        assertTrue(transcript.contains("<-  250 2.0.0 <" + BOB + ">"), transcript);
        String file = server.awaitInbox(BOB, "Subject: " + subject, Duration.ofSeconds(5));
        assertTrue(file.contains("Through LMTP."), file);
    }

    @Test
    void anUnauthenticatedRecipientInARemoteDomainIsRefusedOnPort25AndNothingIsQueued() throws Exception {
        // Other tests' mail may still be in flight: start from an empty queue so that a count means something.
        TestMailServer.await("an empty queue", Duration.ofSeconds(10), () -> {
            try {
                return server.queuedFiles() == 0;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        try (RawSmtp smtp = new RawSmtp(server.port("smtp"))) {
            smtp.greeting();
            smtp.send("EHLO mx.remote.test");
            assertEquals(250, code(smtp.send("MAIL FROM:<carol@remote.test>")));
            String refused = smtp.send("RCPT TO:<dave@elsewhere.test>");
            assertTrue(refused.matches("55[04] 5\\.7\\.1 .*"), refused);
            // A relay attempt hidden behind a local recipient is refused just the same.
            assertEquals(250, code(smtp.send("RCPT TO:<" + BOB + ">")));
            assertTrue(smtp.send("RCPT TO:<dave@elsewhere.test>").matches("55[04] 5\\.7\\.1 .*"));
            assertEquals(250, code(smtp.send("RSET")));
            // Authentication is not even offered on the MX port, so there is no way around it there.
            assertTrue(smtp.send("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(
                ("\0" + ALICE + "\0" + ALICE_PASSWORD).getBytes(StandardCharsets.UTF_8))).matches("5\\d\\d .*"));
            smtp.send("QUIT");
        }
        assertEquals(0, server.queuedFiles(), "nothing was queued");
    }

    @Test
    void anUnknownLocalUserIsRefusedAtRcptNotBouncedLater() throws Exception {
        try (RawSmtp smtp = new RawSmtp(server.port("smtp"))) {
            smtp.greeting();
            smtp.send("EHLO mx.remote.test");
            assertEquals(250, code(smtp.send("MAIL FROM:<carol@remote.test>")));
            String refused = smtp.send("RCPT TO:<nobody@example.test>");
            assertTrue(refused.startsWith("550 5.1.1 "), refused);
            smtp.send("QUIT");
        }
    }

    @Test
    void submissionRefusesAWrongPasswordAndASenderAddressTheUserDoesNotOwn() {
        jakarta.mail.AuthenticationFailedException wrong = org.junit.jupiter.api.Assertions.assertThrows(
            jakarta.mail.AuthenticationFailedException.class, () -> MailClients.submit(server, "submission", ALICE,
                "not-the-password", BOB, unique("badpw"), "x\n"));
        assertTrue(String.valueOf(wrong.getMessage()).contains("535"), wrong.getMessage());
        // Alice authenticates but claims to be Bob: reject_sender_login_mismatch, the submission default.
        jakarta.mail.MessagingException spoof = org.junit.jupiter.api.Assertions.assertThrows(jakarta.mail.MessagingException.class,
            () -> MailClients.submitAs(server, "submission", ALICE, ALICE_PASSWORD, BOB, BOB, unique("spoof"), "x\n"));
        String all = spoof + " " + spoof.getNextException();
        assertTrue(all.contains("553") || all.contains("5.7.1"), all);
    }

    @Test
    void imapsListsTheSpecialUseFoldersOfANewUser() throws Exception {
        try (Store store = MailClients.imap(server, true, ALICE, ALICE_PASSWORD)) {
            Map<String, Set<String>> folders = Arrays.stream(store.getDefaultFolder().list("*"))
                .collect(Collectors.toMap(Folder::getFullName, f -> {
                    try {
                        return Set.of(((IMAPFolder) f).getAttributes());
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            assertTrue(folders.containsKey("INBOX"), folders.toString());
            for (String[] use : List.of(new String[] {"Drafts", "\\Drafts"}, new String[] {"Sent", "\\Sent"},
                new String[] {"Trash", "\\Trash"}, new String[] {"Junk", "\\Junk"}, new String[] {"Archive", "\\Archive"})) {
                assertTrue(folders.getOrDefault(use[0], Set.of()).contains(use[1]), use[0] + " " + use[1] + " in " + folders);
            }
        }
    }

    @Test
    void imapsReadsFlagsAndMovesToTrashAMessageDeliveredOverPort25() throws Exception {
        readFlagAndMove(true);
    }

    @Test
    void imapWithStartTlsReadsFlagsAndMovesToTrashAMessageDeliveredOverPort25() throws Exception {
        readFlagAndMove(false);
    }

    private void readFlagAndMove(boolean implicitTls) throws Exception {
        String subject = unique("imap");
        sendOverMx(ALICE, subject);
        server.awaitInbox(ALICE, "Subject: " + subject, Duration.ofSeconds(10));
        try (Store store = MailClients.imap(server, implicitTls, ALICE, ALICE_PASSWORD)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] found = inbox.search(new SubjectTerm(subject));
            assertEquals(1, found.length, "found by subject");
            Message m = found[0];
            assertEquals("carol@remote.test", ((InternetAddress) m.getFrom()[0]).getAddress());
            assertEquals("Hello over port 25.\r\n", m.getContent().toString());
            m.setFlag(Flags.Flag.FLAGGED, true);
            m.setFlag(Flags.Flag.SEEN, true);
            inbox.moveMessages(new Message[] {m}, store.getFolder("Trash"));
            assertEquals(0, inbox.search(new SubjectTerm(subject)).length, "moved out of INBOX");
            inbox.close(false);
            Folder trash = store.getFolder("Trash");
            trash.open(Folder.READ_ONLY);
            Message[] inTrash = trash.search(new SubjectTerm(subject));
            assertEquals(1, inTrash.length);
            assertTrue(inTrash[0].isSet(Flags.Flag.FLAGGED), "flag kept by MOVE");
            assertTrue(inTrash[0].isSet(Flags.Flag.SEEN));
            trash.close(false);
        }
        // On disk: gone from the INBOX, in .Trash/cur with the F and S flags in its name (Maildir ":2,FS").
        assertTrue(server.inboxFiles(ALICE).stream().noneMatch(p -> read(p).contains(subject)));
        Path trashCur = server.maildir(ALICE).resolve(".Trash").resolve("cur");
        try (var files = Files.list(trashCur)) {
            assertTrue(files.anyMatch(p -> read(p).contains(subject) && p.getFileName().toString().endsWith(":2,FS")),
                "in " + trashCur);
        }
    }
}
