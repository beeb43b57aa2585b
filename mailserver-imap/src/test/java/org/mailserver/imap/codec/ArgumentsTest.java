package org.mailserver.imap.codec;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void modifiedUtf7RoundTripsAndMatchesRfc3501Examples() throws Exception {
        // RFC 3501 5.1.3 example: "~peter/mail/&U,BTFw-/&ZeVnLIqe-" is ~peter/mail/台北/日本語
        assertEquals("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e", ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-"));
        assertEquals("~peter/mail/&U,BTFw-/&ZeVnLIqe-", ModifiedUtf7.encode("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"));
        assertEquals("A&-B", ModifiedUtf7.encode("A&B"));
        assertEquals("A&B", ModifiedUtf7.decode("A&-B"));
        assertEquals("K&APY-ln", ModifiedUtf7.encode("K\u00f6ln"));
        for (String s : List.of("Entw\u00fcrfe", "Gel\u00f6schte Elemente", "\ud83d\udce8 Inbox", "&&", "plain")) {
            assertEquals(s, ModifiedUtf7.decode(ModifiedUtf7.encode(s)));
        }
        assertThrows(SyntaxException.class, () -> ModifiedUtf7.decode("&ZeVnLIqe"));
    }

    @Test
    void sequenceSetsSelectByNumberAndUid() throws Exception {
        long[] uids = {3, 5, 9, 10, 42};
        assertEquals(List.of(5L, 9L, 10L), SequenceSet.parse("4:10").select(uids));
        assertEquals(List.of(42L), SequenceSet.parse("*").select(uids));
        assertEquals(List.of(42L), SequenceSet.parse("100:*").select(uids), "n:* includes the largest (RFC 3501 6.4.8)");
        assertEquals(List.of(3L, 5L, 42L), SequenceSet.parse("42,1:5,3").select(uids));
        assertEquals(List.of(), SequenceSet.parse("1:*").select(new long[0]));
        assertEquals(10, SequenceSet.parse("2,10:4").maxExplicit());
        assertTrue(SequenceSet.parse("$").saved());
        for (String bad : List.of("0", "1:0", "a", "1,,2", "", "4294967296", "1:2:3")) {
            assertThrows(SyntaxException.class, () -> SequenceSet.parse(bad), bad);
        }
    }

    @Test
    void readerHandlesLiteralsInsideArguments() throws Exception {
        ImapRequest req = new ImapRequest(List.of("t LOGIN {5}", " \"pw\""), List.of(Literal.of("alice".getBytes())));
        RequestReader r = new RequestReader(req);
        assertEquals("t", r.tag());
        r.sp();
        assertEquals("LOGIN", r.atom());
        r.sp();
        assertEquals("alice", r.astring());
        r.sp();
        assertEquals("pw", r.astring());
        assertTrue(r.atEnd());
    }
}
