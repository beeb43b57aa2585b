package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.mime.FakeMailbox;
import org.mailserver.imap.mime.MessageLoader;
import org.mailserver.imap.search.SearchKey.DateOp;
import org.mailserver.storage.Flag;

@Timeout(20)
class MimeSearchEvaluatorTest {
    private final MimeSearchEvaluator eval = new MimeSearchEvaluator();
    private final FakeMailbox box = new FakeMailbox();
    private SearchContext ctx;

    private static byte[] msg(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void fill() {
        // 1: plain, seen+answered, internal date 2026-03-01 23:30 UTC, Date: written 2 Mar in +0100
        box.add(msg("""
            From: Alice Example <alice@example.org>
            To: bob@example.com
            Cc: carol@example.com
            Subject: Lunch on Tuesday
            Date: Mon, 2 Mar 2026 00:30:00 +0100
            Message-ID: <a1@example.org>
            X-Mailer: TestMailer 1.0

            Shall we meet at the Caf\u00e9?
            """), EnumSet.of(Flag.SEEN, Flag.ANSWERED), Set.of("$Forwarded"), Instant.parse("2026-03-01T23:30:00Z"));
        // 2: encoded subject and from, base64 UTF-8 body; flagged, draft; bigger
        box.add(msg("""
            From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.de>
            To: bob@example.com
            Bcc: secret@example.net
            Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=
            Date: Tue, 3 Mar 2026 10:00:00 +0000
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            U2Now7ZuZSBHcsO8w59lIGF1cyBkZXIgU1RSQVNTRQo=
            --x
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: base64

            bmVlZGxlLWluLWF0dGFjaG1lbnQK
            --x--
            """ + "padding ".repeat(50) + "\n"), EnumSet.of(Flag.FLAGGED, Flag.DRAFT), Set.of(), Instant.parse("2026-03-03T10:00:00Z"));
        // 3: quoted-printable latin-1 body, deleted, no Date header
        box.add(msg("""
            From: bob@example.com
            To: alice@example.org
            Subject: Re: Lunch on Tuesday
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Tr=E8s bien, see you at noon.
            """), EnumSet.of(Flag.DELETED), Set.of("Work"), Instant.parse("2026-03-05T08:00:00Z"));
        ctx = new SearchContext(StandardCharsets.UTF_8, Set.of(3L));
    }

    @AfterEach
    void forget() {
        MessageLoader.clearThread();
    }

    private List<Long> search(SearchKey key) throws Exception {
        return eval.search(box, box.messages(), key, ctx);
    }

    private static SearchKey not(SearchKey k) {
        return new SearchKey.Not(k);
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(SearchEvaluator.class).stream().anyMatch(p -> p.type() == MimeSearchEvaluator.class));
    }

    @Test
    void flagKeysAndTheirNegations() throws Exception {
        assertEquals(List.of(1L, 2L, 3L), search(new SearchKey.All()));
        assertEquals(List.of(1L), search(new SearchKey.HasFlag(Flag.ANSWERED)));
        assertEquals(List.of(2L, 3L), search(not(new SearchKey.HasFlag(Flag.ANSWERED))));
        assertEquals(List.of(3L), search(new SearchKey.HasFlag(Flag.DELETED)));
        assertEquals(List.of(2L), search(new SearchKey.HasFlag(Flag.DRAFT)));
        assertEquals(List.of(2L), search(new SearchKey.HasFlag(Flag.FLAGGED)));
        assertEquals(List.of(1L), search(new SearchKey.HasFlag(Flag.SEEN)));
        assertEquals(List.of(2L, 3L), search(not(new SearchKey.HasFlag(Flag.SEEN))));
        assertEquals(List.of(3L), search(new SearchKey.Recent()));
        // NEW = RECENT UNSEEN, OLD = NOT RECENT
        assertEquals(List.of(3L), search(new SearchKey.And(List.of(new SearchKey.Recent(), not(new SearchKey.HasFlag(Flag.SEEN))))));
        assertEquals(List.of(1L, 2L), search(not(new SearchKey.Recent())));
        assertEquals(List.of(1L), search(new SearchKey.HasKeyword("$forwarded")));
        assertEquals(List.of(1L, 2L), search(not(new SearchKey.HasKeyword("work"))));
    }

    @Test
    void sizeUidAndModseqKeys() throws Exception {
        long size2 = box.messages().get(1).size();
        assertEquals(List.of(2L), search(new SearchKey.Size(true, 400)));
        assertEquals(List.of(1L, 3L), search(new SearchKey.Size(false, 400)));
        assertEquals(List.of(), search(new SearchKey.Size(true, size2)));
        assertEquals(List.of(1L, 3L), search(new SearchKey.InUids(Set.of(1L, 3L, 99L))));
        assertEquals(List.of(2L, 3L), search(new SearchKey.ModSeq(20)));
    }

    @Test
    void internalDateKeysUseTheUtcDay() throws Exception {
        LocalDate mar1 = LocalDate.of(2026, 3, 1);
        assertEquals(List.of(1L), search(new SearchKey.InternalDate(DateOp.ON, mar1)));
        assertEquals(List.of(), search(new SearchKey.InternalDate(DateOp.BEFORE, mar1)));
        assertEquals(List.of(1L, 2L, 3L), search(new SearchKey.InternalDate(DateOp.SINCE, mar1)));
        assertEquals(List.of(1L, 2L), search(new SearchKey.InternalDate(DateOp.BEFORE, LocalDate.of(2026, 3, 5))));
    }

    @Test
    void sentDateKeysUseTheWrittenDayAndFallBackToInternalDate() throws Exception {
        LocalDate mar2 = LocalDate.of(2026, 3, 2);
        assertEquals(List.of(1L), search(new SearchKey.SentDate(DateOp.ON, mar2)), "2 Mar as written, though 1 Mar in UTC");
        assertEquals(List.of(1L), search(new SearchKey.SentDate(DateOp.BEFORE, LocalDate.of(2026, 3, 3))));
        assertEquals(List.of(2L, 3L), search(new SearchKey.SentDate(DateOp.SINCE, LocalDate.of(2026, 3, 3))));
        assertEquals(List.of(3L), search(new SearchKey.SentDate(DateOp.ON, LocalDate.of(2026, 3, 5))), "no Date: internal date");
    }

    @Test
    void headerKeysMatchDecodedCaseInsensitiveSubstrings() throws Exception {
        assertEquals(List.of(1L, 3L), search(new SearchKey.Header("Subject", "lunch on")));
        assertEquals(List.of(2L), search(new SearchKey.Header("Subject", "GRÜSSE")), "encoded word decoded, ß folds to SS");
        assertEquals(List.of(2L), search(new SearchKey.Header("From", "jürgen")));
        assertEquals(List.of(1L), search(new SearchKey.Header("From", "ALICE@example")));
        assertEquals(List.of(1L, 2L), search(new SearchKey.Header("To", "bob@")));
        assertEquals(List.of(1L), search(new SearchKey.Header("Cc", "carol")));
        assertEquals(List.of(2L), search(new SearchKey.Header("Bcc", "secret")));
        assertEquals(List.of(1L), search(new SearchKey.Header("X-Mailer", "testmailer")));
        assertEquals(List.of(1L, 2L, 3L), search(new SearchKey.Header("Subject", "")), "empty string: field present");
        assertEquals(List.of(1L), search(new SearchKey.Header("X-Mailer", "")));
        assertEquals(List.of(2L, 3L), search(not(new SearchKey.Header("X-Mailer", ""))));
    }

    @Test
    void bodyAndTextSearchDecodedTextParts() throws Exception {
        assertEquals(List.of(1L), search(new SearchKey.Body("café")));
        assertEquals(List.of(2L), search(new SearchKey.Body("grüße aus der strasse")), "base64 UTF-8, ß = ss");
        assertEquals(List.of(3L), search(new SearchKey.Body("TRÈS BIEN")), "quoted-printable ISO-8859-1");
        assertEquals(List.of(), search(new SearchKey.Body("needle-in-attachment")), "non-text parts are not searched");
        assertEquals(List.of(), search(new SearchKey.Body("Lunch")), "BODY does not look at the header");
        assertEquals(List.of(1L, 3L), search(new SearchKey.Text("lunch")));
        assertEquals(List.of(1L), search(new SearchKey.Text("testmailer")));
        assertEquals(List.of(3L), search(new SearchKey.Text("noon")));
    }

    @Test
    void orNotAndNesting() throws Exception {
        SearchKey k = new SearchKey.Or(new SearchKey.HasFlag(Flag.DRAFT),
            new SearchKey.And(List.of(new SearchKey.Header("Subject", "re:"), not(new SearchKey.HasFlag(Flag.SEEN)))));
        assertEquals(List.of(2L, 3L), search(k));
        assertEquals(List.of(1L), search(not(k)));
    }

    @Test
    void warmSubjectSearchOverManyMessagesOpensNoFile() throws Exception {
        FakeMailbox big = new FakeMailbox();
        for (int i = 0; i < 2000; i++) {
            big.add(msg("From: user" + i + "@example.com\nSubject: message number " + i + "\n\nbody " + i + "\n"));
        }
        SearchKey key = new SearchKey.And(List.of(new SearchKey.Header("Subject", "number 1999"), new SearchKey.All()));
        assertEquals(List.of(2000L), eval.search(big, big.messages(), key, ctx));
        assertEquals(2000, big.opens, "cold: every message parsed once, summary cached");
        MessageLoader.clearThread();
        assertEquals(List.of(2000L), eval.search(big, big.messages(), key, ctx));
        assertEquals(List.of(1L), eval.search(big, big.messages(), new SearchKey.Header("From", "user0@"), ctx));
        assertEquals(2000, big.opens, "warm: no file opened");
        // metadata-only keys before content keys: the BODY key is evaluated only for UID 5
        MessageLoader.clearThread();
        assertEquals(List.of(5L), eval.search(big, big.messages(),
            new SearchKey.And(List.of(new SearchKey.Body("body 4"), new SearchKey.InUids(Set.of(5L)))), ctx));
        assertEquals(2001, big.opens);
    }

    @Test
    void messagesExpungedDuringTheCommandAreSkipped() throws Exception {
        List<org.mailserver.storage.MessageMeta> listed = box.messages();
        box.vanish(2);
        assertEquals(List.of(1L, 3L), eval.search(box, listed, new SearchKey.Body("e"), ctx));
        assertEquals(List.of(3L, 1L), eval.sort(box, listed, List.of(new SortCriterion(SortCriterion.Key.DATE, true)), new SearchKey.All(), ctx));
        assertEquals("(1 3)", ThreadResponse.format(eval.thread(box, listed, "REFERENCES", new SearchKey.All(), ctx)));
    }
}
