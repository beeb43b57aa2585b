package org.mailserver.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SEARCH case folding: the ASCII fast path must give exactly what the general path gives. */
@Timeout(10)
class TextFoldingTest {

    private static String reference(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    @Test
    void asciiFastPathEqualsTheGeneralFolding() {
        Random rnd = new Random(7);
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.append((char) rnd.nextInt(0x80)); // every ASCII character, controls included
            }
            String s = sb.toString();
            assertEquals(reference(s), TextFolding.fold(s), s);
        }
    }

    @Test
    void unicodeStillFoldsFully() {
        assertEquals("strasse", TextFolding.fold("Straße"));
        assertEquals("file", TextFolding.fold("ﬁle"));
        assertEquals("grüsse aus münchen", TextFolding.fold("GRÜßE aus München"));
        assertEquals("a subject", TextFolding.fold("A Subject"));
    }
}
