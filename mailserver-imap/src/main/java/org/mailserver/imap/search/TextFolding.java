package org.mailserver.imap.search;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Case folding for SEARCH substring matches, close to the i;unicode-casemap comparator (RFC 5051) that
 * RFC 9051 6.4.4 and RFC 5255 recommend: NFKC-like normalisation, then full case folding approximated by
 * upper- then lower-casing (so {@code ß} matches {@code SS} and {@code ﬁ} matches {@code fi}). Not the
 * exact titlecase mapping of RFC 5051; the difference shows only for a few scripts.
 */
final class TextFolding {

    private TextFolding() {
    }

    static String fold(String s) {
        int upper = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return foldUnicode(s);
            }
            if (c >= 'A' && c <= 'Z') {
                upper++;
            }
        }
        // ASCII: NFKC leaves it unchanged and upper- then lower-casing is plain ASCII lower-casing
        if (upper == 0) {
            return s;
        }
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            char c = s.charAt(i);
            out[i] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }

    private static String foldUnicode(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
        return n.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** i;ascii-casemap (RFC 4790 9.2), which SORT uses for SUBJECT and address keys (RFC 5256 2.2). */
    static String asciiUpper(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return sb.toString();
    }
}
