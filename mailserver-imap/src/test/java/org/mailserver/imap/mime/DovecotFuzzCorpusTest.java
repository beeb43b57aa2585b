package org.mailserver.imap.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Differential test: 200 random messages (nested and unterminated multiparts, digests, encapsulated
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

    private static void compare(List<String> mismatches, String what, byte[] dovecot, byte[] ours) {
        String expected = ImapValues.canonical(dovecot);
        String got = ImapValues.canonical(java.util.Arrays.copyOfRange(ours, 1, ours.length - 1));
        if (!expected.equals(got)) {
            mismatches.add(what + "\n  dovecot: " + expected + "\n  ours:    " + got);
        }
    }
}
