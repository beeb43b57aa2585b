package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.fetch.FetchAttribute;
import org.mailserver.imap.fetch.FetchAttribute.Kind;
import org.mailserver.imap.fetch.FetchAttribute.Partial;
import org.mailserver.imap.fetch.FetchAttribute.Section;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;
import org.mailserver.imap.fetch.MessageContentRenderer;
import org.mailserver.imap.fetch.MessageContentRenderer.RenderOptions;
import org.mailserver.imap.fetch.UnknownCteException;
import org.mailserver.storage.MessageMeta;

@Timeout(10)
class MimeContentRendererTest {
    static final List<String> THUNDERBIRD = List.of("From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID",
        "Priority", "X-Priority", "References", "Newsgroups", "In-Reply-To", "Content-Type", "Reply-To", "Received");

    private final MimeContentRenderer renderer = new MimeContentRenderer();
    private final FakeMailbox box = new FakeMailbox();

    @AfterEach
    void forgetThread() {
        MessageLoader.clearThread();
    }

    private String render(MessageMeta m, FetchAttribute a) throws Exception {
        return new String(renderer.render(box, m, a, RenderOptions.DEFAULT), StandardCharsets.ISO_8859_1);
    }

    private static String lit(String s) {
        return "{" + s.getBytes(StandardCharsets.ISO_8859_1).length + "}\r\n" + s;
    }

    private static FetchAttribute body(Section s, Partial p) {
        return new FetchAttribute(Kind.BODY_SECTION, s, p, true);
    }

    private static Section sec(List<Integer> part, SectionText t, List<String> fields) {
        return new Section(part, t, fields);
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(MessageContentRenderer.class).stream()
            .anyMatch(p -> p.type() == MimeContentRenderer.class));
    }

    @Test
    void warmCacheServesEnvelopeStructureAndThunderbirdHeadersWithoutOpeningTheFile() throws Exception {
        MessageMeta m = box.add(DovecotGoldenTest.message("01-simple"));
        FetchAttribute tbHeaders = body(sec(List.of(), SectionText.HEADER_FIELDS, THUNDERBIRD), null);
        String cold = render(m, tbHeaders);
        assertEquals(1, box.opens, "cold: the header is read");
        MessageLoader.clearThread(); // a new command on another day: nothing held in memory
        render(m, FetchAttribute.simple(Kind.ENVELOPE));
        assertEquals(1, box.opens, "the envelope came with the header summary");
        render(m, FetchAttribute.simple(Kind.BODYSTRUCTURE));
        assertEquals(2, box.opens, "the structure needs the whole message once");
        MessageLoader.clearThread();
        String env = render(m, FetchAttribute.simple(Kind.ENVELOPE));
        String bs = render(m, FetchAttribute.simple(Kind.BODYSTRUCTURE));
        String b = render(m, FetchAttribute.simple(Kind.BODY));
        String warm = render(m, tbHeaders);
        assertEquals(2, box.opens, "served from the cache");
        assertEquals(cold, warm);
        String expectedFields = "Received: from mx.example.org (mx.example.org [192.0.2.1])\r\n"
            + "\tby mail.example.com with ESMTP id 1234\r\n"
            + "\tfor <bob@example.com>; Mon, 2 Mar 2026 10:11:12 +0100\r\n"
            + "Date: Mon, 2 Mar 2026 10:11:12 +0100\r\n"
            + "From: Alice Example <alice@example.org>\r\n"
            + "To: Bob <bob@example.com>, carol@example.com\r\n"
            + "Cc: \"Dave, the Third\" <dave@example.net>\r\n"
            + "Subject: Lunch on\r\n Tuesday?\r\n"
            + "Message-ID: <1234.abcd@example.org>\r\n"
            + "Content-Type: text/plain; charset=\"utf-8\"\r\n\r\n";
        assertEquals(lit(expectedFields), warm);
        assertTrue(env.startsWith("(\"Mon, 2 Mar 2026 10:11:12 +0100\" \"Lunch on Tuesday?\" ((\"Alice Example\" NIL \"alice\" \"example.org\"))"), env);
        assertEquals("(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 53 5 NIL NIL NIL NIL)", bs);
        assertEquals("(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 53 5)", b);
        // a subset in another case and order is also served from the cache, in message order
        assertEquals(lit("From: Alice Example <alice@example.org>\r\n\r\n"),
            render(m, body(sec(List.of(), SectionText.HEADER_FIELDS, List.of("fROM", "x-priority")), null)));
        assertEquals(2, box.opens);
    }

    @Test
    void coldEnvelopeReadsOnlyTheHeader() throws Exception {
        String big = "From: a@example.com\r\nSubject: big\r\n\r\n" + "x".repeat(100_000) + "\r\n";
        MessageMeta m = box.add(big.getBytes(StandardCharsets.US_ASCII));
        assertEquals(37, MessageLoader.readHeader(box, m.uid()).length);
        assertTrue(render(m, FetchAttribute.simple(Kind.ENVELOPE)).contains("\"big\""));
        assertEquals(2, box.opens, "two header reads, no full read");
        byte[] noBlank = "Subject: x\r\nFrom: y".getBytes(StandardCharsets.US_ASCII);
        MessageMeta n = box.add(noBlank);
        assertArrayEquals(noBlank, MessageLoader.readHeader(box, n.uid()));
        byte[] emptyHeader = "\r\nbody".getBytes(StandardCharsets.US_ASCII);
        MessageMeta e = box.add(emptyHeader);
        assertEquals(2, MessageLoader.readHeader(box, e.uid()).length);
    }

    @Test
    void uncachedFieldsAndNotOpenTheMessage() throws Exception {
        MessageMeta m = box.add(DovecotGoldenTest.message("01-simple"));
        String v = render(m, body(sec(List.of(), SectionText.HEADER_FIELDS, List.of("Return-Path", "MIME-Version")), null));
        assertEquals(lit("Return-Path: <alice@example.org>\r\nMIME-Version: 1.0\r\n\r\n"), v);
        String not = render(m, body(sec(List.of(), SectionText.HEADER_FIELDS_NOT, List.of("Received", "Subject", "Date",
            "From", "To", "Cc", "Message-ID", "Content-Type", "Content-Transfer-Encoding")), null));
        assertEquals(lit("Return-Path: <alice@example.org>\r\nMIME-Version: 1.0\r\n\r\n"), not);
    }

    @Test
    void partialFetchesCutTheSectionAndAnOriginPastTheEndIsEmpty() throws Exception {
        MessageMeta m = box.add(DovecotGoldenTest.message("05-rfc822"));
        assertEquals("{5}\r\nSee b", render(m, body(sec(List.of(1), SectionText.NONE, List.of()), new Partial(0, 5))));
        assertEquals(lit("low.\r\n"), render(m, body(sec(List.of(1), SectionText.NONE, List.of()), new Partial(6, 100))));
        assertEquals("{0}\r\n", render(m, body(sec(List.of(1), SectionText.NONE, List.of()), new Partial(500, 10))));
        assertEquals("{13}\r\nOriginal text", render(m, body(sec(List.of(2, 1), SectionText.NONE, List.of()), new Partial(0, 13))));
        assertEquals("{0}\r\n", render(m, body(sec(List.of(7), SectionText.NONE, List.of()), null)), "missing part: empty");
        assertEquals(lit("Subject: original\r\n\r\n"),
            render(m, body(sec(List.of(2), SectionText.HEADER_FIELDS, List.of("subject")), null)));
    }

    @Test
    void rfc822ItemsAreTheWholeMessageHeaderAndText() throws Exception {
        byte[] msg = DovecotGoldenTest.message("07-groups");
        MessageMeta m = box.add(msg);
        String all = render(m, FetchAttribute.simple(Kind.RFC822));
        assertEquals("{" + msg.length + "}\r\n" + new String(msg, StandardCharsets.ISO_8859_1), all);
        String header = render(m, FetchAttribute.simple(Kind.RFC822_HEADER));
        String text = render(m, FetchAttribute.simple(Kind.RFC822_TEXT));
        assertEquals(lit("Testing.\r\n"), text);
        assertTrue(header.endsWith("Subject: groups\r\n\r\n"));
        assertEquals(msg.length, Integer.parseInt(header.substring(1, header.indexOf('}'))) + 10);
    }

    @Test
    void binaryDecodesAndUnknownEncodingIsRefused() throws Exception {
        MessageMeta m = box.add(DovecotGoldenTest.message("09-unknown-cte"));
        assertEquals("{15}\r\nHello, W\u00c3\u00b6rld!\n", render(m, new FetchAttribute(Kind.BINARY_SECTION,
            sec(List.of(2), SectionText.NONE, List.of()), null, true)));
        assertEquals("15", render(m, new FetchAttribute(Kind.BINARY_SIZE, sec(List.of(2), SectionText.NONE, List.of()), null, true)));
        assertEquals("{5}\r\nHello", render(m, new FetchAttribute(Kind.BINARY_SECTION,
            sec(List.of(2), SectionText.NONE, List.of()), new Partial(0, 5), true)));
        assertThrows(UnknownCteException.class, () -> render(m, new FetchAttribute(Kind.BINARY_SECTION,
            sec(List.of(1), SectionText.NONE, List.of()), null, true)));
        assertThrows(UnknownCteException.class, () -> render(m, new FetchAttribute(Kind.BINARY_SIZE,
            sec(List.of(), SectionText.NONE, List.of()), null, true)));
    }

    @Test
    void binaryRefusesWhatDovecotRefusesAndLeavesEmptyLeavesAlone() throws Exception {
        String mp = "Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: x-zip\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n";
        MessageMeta m = box.add(mp.getBytes(StandardCharsets.US_ASCII));
        assertThrows(UnknownCteException.class, () -> BinaryDecoder.decode(MessageLoader.parsed(box, m.uid()).root(), List.of()));
        String empty = "Content-Type: text/plain\r\nContent-Transfer-Encoding:\r\n\r\nx\r\n";
        MessageMeta e = box.add(empty.getBytes(StandardCharsets.US_ASCII));
        assertThrows(UnknownCteException.class, () -> BinaryDecoder.decode(MessageLoader.parsed(box, e.uid()).root(), List.of(1)));
        String nobody = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\n--b--\r\n";
        MessageMeta n = box.add(nobody.getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(nobody.getBytes(StandardCharsets.US_ASCII), BinaryDecoder.decode(MessageLoader.parsed(box, n.uid()).root(), List.of()));
    }

    @Test
    void binaryWithNulUsesLiteral8() throws Exception {
        String msg = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n";
        MessageMeta m = box.add(msg.getBytes(StandardCharsets.US_ASCII));
        byte[] v = renderer.render(box, m, new FetchAttribute(Kind.BINARY_SECTION, sec(List.of(1), SectionText.NONE, List.of()), null, true),
            RenderOptions.DEFAULT);
        assertArrayEquals(new byte[] {'~', '{', '3', '}', '\r', '\n', 0, 1, 2}, v);
    }

    @Test
    void utf8AcceptQuotesEightBitHeaderStrings() throws Exception {
        MessageMeta m = box.add(DovecotGoldenTest.message("08-weird-quoting"));
        String plain = render(m, FetchAttribute.simple(Kind.ENVELOPE));
        assertTrue(plain.contains("{44}\r\nQuotes \"inside\" and back\\slash and \u00c3\u00a9t\u00c3\u00a9 raw"), plain);
        String utf8 = new String(renderer.render(box, m, FetchAttribute.simple(Kind.ENVELOPE), new RenderOptions(true, false)),
            StandardCharsets.ISO_8859_1);
        assertTrue(utf8.contains("\"Quotes \\\"inside\\\" and back\\\\slash and \u00c3\u00a9t\u00c3\u00a9 raw\""), utf8);
    }

    @Test
    void corruptCacheEntryIsRecomputed() throws Exception {
        MessageMeta m = box.add(DovecotGoldenTest.message("02-alternative"));
        box.putCache(m.uid(), StructureSummary.CACHE_KEY, new byte[] {'B', 0, 0, 0, 99, 1});
        box.putCache(m.uid(), HeaderSummary.CACHE_KEY, new byte[] {'H'});
        String bs = render(m, FetchAttribute.simple(Kind.BODYSTRUCTURE));
        assertTrue(bs.startsWith("((\"text\" \"plain\""), bs);
        assertTrue(StructureSummary.decode(box.cached(m.uid(), StructureSummary.CACHE_KEY).orElseThrow()) != null);
        assertTrue(HeaderSummary.decode(box.cached(m.uid(), HeaderSummary.CACHE_KEY).orElseThrow()) != null);
    }
}
