package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ENVELOPE, BODY and BODYSTRUCTURE of every message of the corpus against what Dovecot 2.3 returns for the
 * same bytes ({@code messages/*.golden}, made by {@code messages/dovecot-golden.sh}). Quoted strings and
 * literals are compared by content, since both are valid for any value.
 */
@Timeout(10)
class DovecotGoldenTest {

    static final List<String> CORPUS = CorpusNames.CORPUS;

    static Stream<String> corpus() {
        return CORPUS.stream();
    }

    static byte[] message(String name) throws IOException {
        try (InputStream in = DovecotGoldenTest.class.getResourceAsStream("/messages/" + name + ".eml")) {
            return in.readAllBytes();
        }
    }

    /** field name -> value bytes; a literal in doveadm's output spans lines, so values run to the next field name. */
    static Map<String, byte[]> golden(String name) throws IOException {
        byte[] all;
        try (InputStream in = DovecotGoldenTest.class.getResourceAsStream("/messages/" + name + ".golden")) {
            all = in.readAllBytes();
        }
        String s = new String(all, StandardCharsets.ISO_8859_1);
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> keys = List.of("imap.envelope ", "imap.body ", "imap.bodystructure ");
        List<Integer> starts = new ArrayList<>();
        for (String k : keys) {
            starts.add(s.indexOf(k));
        }
        for (int i = 0; i < keys.size(); i++) {
            int from = starts.get(i) + keys.get(i).length();
            int to = i + 1 < keys.size() ? starts.get(i + 1) : s.length();
            String v = s.substring(from, to);
            if (v.endsWith("\n")) {
                v = v.substring(0, v.length() - 1);
            }
            out.put(keys.get(i).trim(), v.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static String unwrap(byte[] v) {
        String s = new String(v, StandardCharsets.ISO_8859_1);
        return s.substring(1, s.length() - 1);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void envelopeMatchesDovecot(String name) throws IOException {
        MimePart root = MimeParser.parse(message(name));
        String ours = unwrap(EnvelopeRenderer.render(root.header(), false));
        assertEquals(ImapValues.canonical(golden(name).get("imap.envelope")),
            ImapValues.canonical(ours.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void bodyMatchesDovecot(String name) throws IOException {
        MimePart root = MimeParser.parse(message(name));
        String ours = unwrap(BodyStructureRenderer.render(root, false, false));
        assertEquals(ImapValues.canonical(golden(name).get("imap.body")),
            ImapValues.canonical(ours.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void bodyStructureMatchesDovecot(String name) throws IOException {
        MimePart root = MimeParser.parse(message(name));
        String ours = unwrap(BodyStructureRenderer.render(root, true, false));
        assertEquals(ImapValues.canonical(golden(name).get("imap.bodystructure")),
            ImapValues.canonical(ours.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
