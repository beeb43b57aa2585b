package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
import org.mailserver.imap.fetch.FetchAttribute.Section;
import org.mailserver.imap.fetch.FetchAttribute.SectionText;
import org.mailserver.imap.fetch.UnknownCteException;

/**
 * BODY[section] and BINARY[section] of every part path of the corpus against Dovecot 2.3
 * ({@code messages/*.sections}, made by {@code messages/dovecot-sections.py}), including paths that do
 * not exist (both give an empty result).
 */
@Timeout(10)
class DovecotSectionsTest {

    static Stream<String> corpus() {
        return DovecotGoldenTest.CORPUS.stream();
    }

    /** field -> bytes (null when Dovecot failed). */
    static Map<String, byte[]> sections(String name) throws IOException {
        byte[] d;
        try (InputStream in = DovecotSectionsTest.class.getResourceAsStream("/messages/" + name + ".sections")) {
            d = in.readAllBytes();
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        int i = 0;
        while (i < d.length) {
            int nl = i;
            while (d[nl] != '\n') {
                nl++;
            }
            String[] hdr = new String(d, i, nl - i, StandardCharsets.ISO_8859_1).split(" ");
            int n = Integer.parseInt(hdr[2]);
            if (n < 0) {
                out.put(hdr[1], null);
                i = nl + 2;
            } else {
                byte[] v = new byte[n];
                System.arraycopy(d, nl + 1, v, 0, n);
                out.put(hdr[1], v);
                i = nl + 1 + n + 1;
            }
        }
        return out;
    }

    static Section section(String spec) {
        List<Integer> part = new ArrayList<>();
        SectionText text = SectionText.NONE;
        for (String s : spec.isEmpty() ? new String[0] : spec.split("\\.")) {
            if (Character.isDigit(s.charAt(0))) {
                part.add(Integer.parseInt(s));
            } else {
                text = SectionText.valueOf(s);
            }
        }
        return new Section(part, text, List.of());
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void bodySectionsMatchDovecot(String name) throws IOException {
        MimePart root = MimeParser.parse(DovecotGoldenTest.message(name));
        for (Map.Entry<String, byte[]> e : sections(name).entrySet()) {
            if (!e.getKey().startsWith("body.")) {
                continue;
            }
            byte[] ours = SectionExtractor.extract(root, section(e.getKey().substring(5)));
            assertArrayEquals(e.getValue(), ours, name + " " + e.getKey() + ": got " + new String(ours, StandardCharsets.ISO_8859_1));
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void binarySectionsMatchDovecot(String name) throws IOException {
        MimePart root = MimeParser.parse(DovecotGoldenTest.message(name));
        for (Map.Entry<String, byte[]> e : sections(name).entrySet()) {
            if (!e.getKey().startsWith("binary.")) {
                continue;
            }
            Section s = section(e.getKey().substring(7));
            byte[] ours;
            try {
                ours = BinaryDecoder.decode(root, s.part());
            } catch (UnknownCteException ex) {
                ours = null;
            }
            assertArrayEquals(e.getValue(), ours, name + " " + e.getKey());
        }
    }
}
