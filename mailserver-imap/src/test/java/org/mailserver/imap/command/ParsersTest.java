package org.mailserver.imap.command;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailserver.imap.codec.ImapRequest;
import org.mailserver.imap.codec.RequestReader;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.FetchAttribute.Kind;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;
import org.mailserver.imap.search.SearchKey;
import org.mailserver.imap.session.SelectedMailbox;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;

class ParsersTest {

    private static List<FetchAttribute> fetch(String text) throws SyntaxException {
        RequestReader r = new RequestReader(ImapRequest.line(text));
        List<FetchAttribute> out = FetchParser.parse(r);
        r.end();
        return out;
    }

    @Test
    void fetchItemsAndTheirResponseNames() throws Exception {
        List<FetchAttribute> a = fetch("(UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To)] BODY[1.2.MIME] BODY[]<0.100> BINARY.PEEK[1]<5.6> BINARY.SIZE[2] MODSEQ)");
        assertEquals(List.of(Kind.UID, Kind.RFC822_SIZE, Kind.FLAGS, Kind.BODY_SECTION, Kind.BODY_SECTION, Kind.BODY_SECTION,
            Kind.BINARY_SECTION, Kind.BINARY_SIZE, Kind.MODSEQ), a.stream().map(FetchAttribute::kind).toList());
        assertEquals("BODY[HEADER.FIELDS (From To)]", a.get(3).responseName());
        assertTrue(a.get(3).peek() && !a.get(3).setsSeen());
        assertEquals(SectionText.MIME, a.get(4).section().text());
        assertEquals(List.of(1, 2), a.get(4).section().part());
        assertEquals("BODY[1.2.MIME]", a.get(4).responseName());
        assertEquals("BODY[]<0>", a.get(5).responseName());
        assertTrue(a.get(5).setsSeen());
        assertEquals("BINARY[1]<5>", a.get(6).responseName());
        assertEquals("BINARY.SIZE[2]", a.get(7).responseName());
        assertEquals(5, fetch("FULL").size());
        assertEquals(3, fetch("FAST").size());
        for (String bad : List.of("(FAST)", "BODY[MIME]", "BODY.PEEK", "BODY[]<1.0>", "BINARY[TEXT]", "FOO", "(FLAGS")) {
            assertThrows(SyntaxException.class, () -> fetch(bad), bad);
        }
    }

    @Test
    void searchKeysResolveSequenceSetsToUids() throws Exception {
        SelectedMailbox view = new SelectedMailbox(null, false);
        List<MessageMeta> metas = List.of(meta(10), meta(20), meta(30));
        view.load(metas, Set.of());
        RequestReader r = new RequestReader(ImapRequest.line("2:* OR SEEN NOT KEYWORD $Junk UID 10 LARGER 5 SENTSINCE 1-Feb-2024 HEADER X-Spam yes"));
        SearchKey k = new SearchKeyParser(r, view).parseAll();
        SearchKey.And and = (SearchKey.And) k;
        assertEquals(new SearchKey.InUids(new java.util.LinkedHashSet<>(List.of(20L, 30L))), and.keys().get(0));
        assertEquals(new SearchKey.Or(new SearchKey.HasFlag(Flag.SEEN), new SearchKey.Not(new SearchKey.HasKeyword("$Junk"))), and.keys().get(1));
        assertEquals(new SearchKey.InUids(new java.util.LinkedHashSet<>(List.of(10L))), and.keys().get(2));
        assertEquals(new SearchKey.Size(true, 5), and.keys().get(3));
        assertEquals(new SearchKey.SentDate(SearchKey.DateOp.SINCE, java.time.LocalDate.of(2024, 2, 1)), and.keys().get(4));
        assertEquals(new SearchKey.Header("X-Spam", "yes"), and.keys().get(5));
        assertThrows(SyntaxException.class, () -> new SearchKeyParser(new RequestReader(ImapRequest.line("4")), view).parseAll(),
            "sequence number beyond EXISTS");
        assertThrows(SyntaxException.class, () -> new SearchKeyParser(new RequestReader(ImapRequest.line("SINCE 32-Jan-2024")), view).parseAll());
    }

    @Test
    void selectedMailboxHoldsExpungesBackWhenNotAllowed() {
        org.mailserver.storage.MailboxListener[] feed = new org.mailserver.storage.MailboxListener[1];
        org.mailserver.storage.Mailbox mailbox = (org.mailserver.storage.Mailbox) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {org.mailserver.storage.Mailbox.class}, (p, m, args) -> {
                if (m.getName().equals("addListener")) {
                    feed[0] = (org.mailserver.storage.MailboxListener) args[0];
                }
                return null;
            });
        SelectedMailbox view = new SelectedMailbox(mailbox, false);
        view.listen(Runnable::run, () -> { });
        view.load(List.of(meta(1), meta(2), meta(3)), Set.of(3L));
        assertEquals(2, view.seqOf(2));
        feed[0].expunged(List.of(2L), 9);
        feed[0].added(List.of(meta(4), meta(3)));
        feed[0].flagsChanged(List.of(meta(4)));
        List<String> out = new java.util.ArrayList<>();
        SelectedMailbox.UpdateSink sink = new SelectedMailbox.UpdateSink() {
            public void expunged(int seq, long uid) { out.add(seq + " EXPUNGE"); }
            public void exists(int count) { out.add(count + " EXISTS"); }
            public void flags(int seq, MessageMeta meta) { out.add(seq + " FETCH " + meta.uid()); }
        };
        view.drainUpdates(false, sink);
        assertEquals(List.of(), out, "the expunge comes first and may not be reported, so nothing after it either");
        view.drainUpdates(true, sink);
        assertEquals(List.of("2 EXPUNGE", "3 EXISTS", "3 FETCH 4"), out);
        assertEquals(0, view.seqOf(2));
        assertEquals(3, view.seqOf(4));
        assertEquals(4, view.maxUid());
    }

    @Test
    void qresyncVanishedRangesAreComputedWithoutExpansion() {
        List<long[]> gaps = SelectCommand.gaps(List.of(meta(3), meta(4), meta(9)), 4_000_000_000L);
        assertEquals("1:2,5:8,10:3999999999", text(gaps));
        assertEquals("2,5:6,10:20", text(SelectCommand.intersect(gaps, List.of(new long[] {2, 6}, new long[] {10, 20}))));
        assertEquals("2:4", text(SelectCommand.intersect(List.of(new long[] {2, 2}, new long[] {3, 3}, new long[] {4, 4}),
            List.of(new long[] {1, Long.MAX_VALUE}))));
    }

    private static String text(List<long[]> ranges) {
        StringBuilder sb = new StringBuilder();
        for (long[] r : ranges) {
            sb.append(sb.length() == 0 ? "" : ",").append(r[0]).append(r[0] == r[1] ? "" : ":" + r[1]);
        }
        return sb.toString();
    }

    private static MessageMeta meta(long uid) {
        return new MessageMeta(uid, Set.of(), Set.of(), 100, Instant.EPOCH, uid);
    }
}
