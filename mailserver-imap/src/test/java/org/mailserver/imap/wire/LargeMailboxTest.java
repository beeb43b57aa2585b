package org.mailserver.imap.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.memory.InMemoryMailStoreProvider;

/**
 * Opening a large folder the way Thunderbird does (one UID FETCH of sizes, flags and listed headers) and
 * resynchronising its flags: bounded in time so that a quadratic slip in the protocol layer shows up.
 */
@Timeout(60)
class LargeMailboxTest {
    static final int COUNT = Integer.getInteger("imap.large.count", 5000);

    @Test
    void thunderbirdFolderOpenOnALargeMailbox() throws Exception {
        InMemoryMailStoreProvider provider = new InMemoryMailStoreProvider();
        try (MailStore store = provider.open(new UserInfo("alice", "1", "1", "/tmp", null, Map.of()));
             Mailbox inbox = store.open("INBOX")) {
            for (int i = 0; i < COUNT; i++) {
                String m = "From: sender" + i + "@example.org\r\nTo: alice@example.org\r\nSubject: message " + i
                    + "\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <" + i + "@example.org>\r\n\r\nbody " + i + "\r\n";
                inbox.append(new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(), Instant.now());
            }
        }
        try (ImapTestServer server = new ImapTestServer(provider, Map.of(), false, true);
             ImapTestClient c = new ImapTestClient(server.port())) {
            c.setTimeout(30000);
            c.readLine();
            c.ok("l", "LOGIN alice secret");
            long t0 = System.nanoTime();
            c.ok("s", "SELECT INBOX");
            List<String> r = c.ok("f", "UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date "
                + "Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To Received)])");
            long openMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(COUNT + 1, r.size());
            t0 = System.nanoTime();
            c.ok("s2", "SELECT INBOX");
            c.ok("f2", "UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date "
                + "Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To Received)])");
            long reopenMs = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            r = c.ok("g", "UID FETCH 1:* (FLAGS)");
            long flagsMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(COUNT + 1, r.size());
            t0 = System.nanoTime();
            c.ok("h", "UID STORE 1:* +FLAGS.SILENT (\\Seen)");
            c.ok("i", "SEARCH UNSEEN");
            long storeMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("imap: %d messages: open %d ms, reopen %d ms, flag resync %d ms, store+search %d ms%n",
                COUNT, openMs, reopenMs, flagsMs, storeMs);
            assertTrue(openMs < 20_000 && reopenMs < 20_000 && flagsMs < 10_000 && storeMs < 10_000);
        }
    }
}
