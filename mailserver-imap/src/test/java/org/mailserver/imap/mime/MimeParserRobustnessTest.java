package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.imap.fetch.FetchAttribute.Section;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;
import org.mailserver.imap.fetch.UnknownCteException;

/** Malformed and hostile input: the parser and renderers never throw and never leave the message's bytes. */
@Timeout(20)
class MimeParserRobustnessTest {

    private static void checkTree(MimePart p, int length) {
        assertTrue(0 <= p.start() && p.start() <= p.bodyStart() && p.bodyStart() <= p.bodyEnd() && p.bodyEnd() <= length,
            p.start() + " " + p.bodyStart() + " " + p.bodyEnd() + " " + length);
        if (p.isMultipart()) {
            assertTrue(!p.children().isEmpty());
        }
        for (MimePart c : p.children()) {
            assertTrue(c.start() >= p.bodyStart() && c.bodyEnd() <= p.bodyEnd());
            checkTree(c, length);
        }
        if (p.message() != null) {
            assertEquals(p.bodyStart(), p.message().start());
            checkTree(p.message(), length);
        }
    }

    private static void exercise(byte[] data) {
        MimePart root = MimeParser.parse(data);
        checkTree(root, data.length);
        EnvelopeRenderer.render(root.header(), false);
        BodyStructureRenderer.render(root, true, false);
        HeaderSummary s = HeaderSummary.of(root.header());
        assertEquals(s.envelope().length, HeaderSummary.decode(s.encode()).envelope().length);
        StructureSummary st = StructureSummary.of(root);
        assertEquals(st.bodyStructure().length, StructureSummary.decode(st.encode()).bodyStructure().length);
        for (List<Integer> path : List.of(List.<Integer>of(), List.of(1), List.of(1, 1), List.of(2, 1, 1), List.of(0), List.of(99))) {
            for (SectionText t : SectionText.values()) {
                SectionExtractor.extract(root, new Section(path, t, List.of("From", "Subject")));
            }
            try {
                BinaryDecoder.decode(root, path);
            } catch (UnknownCteException expected) {
                // fine: a refusal, not a crash
            }
        }
    }

    @Test
    void randomMutationsOfTheCorpusNeverBreakTheParser() throws Exception {
        Random rnd = new Random(7);
        byte[] specials = "\r\n-:;=\"()<>@,[]\\ \t".getBytes(StandardCharsets.ISO_8859_1);
        for (String name : DovecotGoldenTest.CORPUS) {
            byte[] orig = DovecotGoldenTest.message(name);
            for (int round = 0; round < 150; round++) {
                byte[] m = orig.clone();
                int edits = 1 + rnd.nextInt(8);
                for (int e = 0; e < edits; e++) {
                    int at = rnd.nextInt(m.length);
                    m[at] = rnd.nextBoolean() ? specials[rnd.nextInt(specials.length)] : (byte) rnd.nextInt(256);
                }
                exercise(m);
                exercise(java.util.Arrays.copyOf(m, rnd.nextInt(m.length + 1))); // truncated anywhere
            }
        }
    }

    @Test
    void emptyAndHeaderOnlyMessages() {
        exercise(new byte[0]);
        exercise("\r\n".getBytes(StandardCharsets.US_ASCII));
        exercise("Subject: no body, no blank line".getBytes(StandardCharsets.US_ASCII));
        exercise(" continuation first\r\nSubject: x\r\n\r\nb".getBytes(StandardCharsets.US_ASCII));
        MimePart p = MimeParser.parse("Subject: x\nFrom: a@b\n\nbare LF body\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("x", p.header().value("subject"));
        assertEquals("bare LF body\n", new String(p.bodyBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void deepNestingIsBounded() {
        StringBuilder sb = new StringBuilder();
        int depth = 2000;
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        sb.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        byte[] data = sb.toString().getBytes(StandardCharsets.US_ASCII);
        exercise(data);
        int levels = 0;
        for (MimePart p = MimeParser.parse(data); p.isMultipart(); p = p.children().get(0)) {
            levels++;
        }
        assertTrue(levels <= MimeParser.MAX_DEPTH + 1, "levels " + levels);
    }

    @Test
    void manyPartsAreBounded() {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
        for (int i = 0; i < 20000; i++) {
            sb.append("--x\r\n\r\n").append(i).append("\r\n");
        }
        MimePart root = MimeParser.parse(sb.toString().getBytes(StandardCharsets.US_ASCII));
        assertTrue(root.children().size() <= MimeParser.MAX_PARTS + 1, "parts " + root.children().size());
    }

    @Test
    void unterminatedMultipartEndsAtTheEndAndNestedOnesAtTheParentBoundary() {
        String m = "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
            + "Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n\r\nA\r\n"
            + "--outer\r\n\r\nB";
        MimePart root = MimeParser.parse(m.getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, root.children().size());
        assertEquals("A", new String(root.children().get(0).children().get(0).bodyBytes(), StandardCharsets.US_ASCII));
        assertEquals("B", new String(root.children().get(1).bodyBytes(), StandardCharsets.US_ASCII));
    }
}
