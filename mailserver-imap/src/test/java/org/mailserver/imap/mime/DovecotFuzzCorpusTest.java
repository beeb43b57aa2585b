package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Differential tests: 200 random messages (nested and unterminated multiparts, digests, encapsulated
 * messages, odd boundaries, RFC 2231 parameters, groups, routes, comments, empty list elements, missing
 * blank lines...) from {@code fuzz/gen.py}, with the ENVELOPE and BODYSTRUCTURE Dovecot 2.3 returned for
 * each ({@code fuzz/corpus.dat}, made by {@code fuzz/dovecot-fuzz.sh}). Strings are compared by content.
 */
@Timeout(20)
class DovecotFuzzCorpusTest {

    @Test
    void envelopeAndBodyStructureMatchDovecotOnRandomMessages() throws Exception {
        byte[] d;
        try (InputStream in = getClass().getResourceAsStream("/fuzz/corpus.dat")) {
            d = in.readAllBytes();
        }
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        int i = 0;
        while (i < d.length) {
            int nl = i;
            while (d[nl] != '\n') {
                nl++;
            }
            String[] h = new String(d, i, nl - i, StandardCharsets.US_ASCII).split(" ");
            int msgLen = Integer.parseInt(h[2]);
            int envLen = Integer.parseInt(h[3]);
            int bsLen = Integer.parseInt(h[4]);
            int p = nl + 1;
            byte[] msg = java.util.Arrays.copyOfRange(d, p, p + msgLen);
            byte[] env = java.util.Arrays.copyOfRange(d, p + msgLen, p + msgLen + envLen);
            byte[] bs = java.util.Arrays.copyOfRange(d, p + msgLen + envLen, p + msgLen + envLen + bsLen);
            i = p + msgLen + envLen + bsLen + 1;
            count++;

            MimePart root = MimeParser.parse(msg);
            compare(mismatches, "message " + h[1] + " ENVELOPE", env, EnvelopeRenderer.render(root.header(), false));
            compare(mismatches, "message " + h[1] + " BODYSTRUCTURE", bs, BodyStructureRenderer.render(root, true, false));
        }
        assertEquals(200, count);
        assertEquals(List.of(), mismatches);
    }

    /**
     * Every BODY[section] with part paths up to depth 3 and numbers up to 3, plus the whole message, HEADER
     * and TEXT, against the length and CRC-32 of Dovecot's answer ({@code fuzz/sections.dat}; absent means
     * Dovecot answered the empty string).
     */
    @Test
    void sectionsMatchDovecotOnRandomMessages() throws Exception {
        List<byte[]> messages = new ArrayList<>();
        byte[] d;
        try (InputStream in = getClass().getResourceAsStream("/fuzz/corpus.dat")) {
            d = in.readAllBytes();
        }
        for (int i = 0; i < d.length; ) {
            int nl = i;
            while (d[nl] != '\n') {
                nl++;
            }
            String[] h = new String(d, i, nl - i, StandardCharsets.US_ASCII).split(" ");
            int msgLen = Integer.parseInt(h[2]);
            messages.add(java.util.Arrays.copyOfRange(d, nl + 1, nl + 1 + msgLen));
            i = nl + 1 + msgLen + Integer.parseInt(h[3]) + Integer.parseInt(h[4]) + 1;
        }
        java.util.Map<String, String> dovecot = new java.util.HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/fuzz/sections.dat")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.split(" ");
                dovecot.put(f[0] + " " + f[1], f[2] + " " + f[3]);
            }
        }
        List<String> specs = new ArrayList<>(List.of("-", "header", "text"));
        addPaths(specs, "", 1);
        List<String> mismatches = new ArrayList<>();
        for (int n = 1; n <= messages.size(); n++) {
            MimePart root = MimeParser.parse(messages.get(n - 1));
            for (String spec : specs) {
                byte[] ours = SectionExtractor.extract(root, DovecotSectionsTest.section(spec.equals("-") ? "" : spec.toUpperCase()));
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(ours);
                String got = ours.length == 0 ? null : ours.length + " " + String.format("%08x", crc.getValue());
                String expected = dovecot.get(n + " " + spec);
                if (!java.util.Objects.equals(expected, got)) {
                    mismatches.add("message " + n + " BODY[" + spec + "]: dovecot " + expected + ", ours " + got);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    private static void addPaths(List<String> specs, String prefix, int depth) {
        for (int n = 1; n <= 3; n++) {
            String p = prefix + n;
            for (String suffix : List.of("", ".mime", ".header", ".text")) {
                specs.add(p + suffix);
            }
            if (depth < 3) {
                addPaths(specs, p + ".", depth + 1);
            }
        }
    }

    private static void compare(List<String> mismatches, String what, byte[] dovecot, byte[] ours) {
        String expected = ImapValues.canonical(dovecot);
        String got = ImapValues.canonical(java.util.Arrays.copyOfRange(ours, 1, ours.length - 1));
        if (!expected.equals(got)) {
            mismatches.add(what + "\n  dovecot: " + expected + "\n  ours:    " + got);
        }
    }
}
