package org.mailserver.storage.maildir;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mailserver.storage.Flag;

/**
 * The {@code :2,} flag letters: upper case are the Maildir system flags (D F R S T, and P "passed"
 * which IMAP has no flag for and which we keep untouched), lower case {@code a..z} are keywords
 * numbered by {@code dovecot-keywords}. Letters are written in ASCII order, as Dovecot writes them.
 */
final class MaildirFlags {
    private MaildirFlags() {
    }

    static Set<Flag> systemFlags(String letters) {
        EnumSet<Flag> out = EnumSet.noneOf(Flag.class);
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            for (Flag f : Flag.values()) {
                if (f.maildirLetter() == c) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    static Set<String> keywords(String letters, MaildirKeywords names) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            if (c >= 'a' && c <= 'z') {
                String k = names.name(c - 'a');
                if (k != null) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    /**
     * The letters for these flags and keywords; upper-case letters in {@code keepFrom} that IMAP has no
     * flag for (P) are kept. Keywords without a letter (more than 26) are left out: they live in our index.
     */
    static String letters(Set<Flag> flags, Set<String> keywords, MaildirKeywords names, String keepFrom) {
        TreeSet<Character> out = new TreeSet<>();
        for (Flag f : flags) {
            out.add(f.maildirLetter());
        }
        for (int i = 0; i < keepFrom.length(); i++) {
            char c = keepFrom.charAt(i);
            if (c >= 'A' && c <= 'Z' && systemFlags(String.valueOf(c)).isEmpty()) {
                out.add(c);
            }
        }
        for (String k : keywords) {
            int idx = names.index(k);
            if (idx >= 0 && idx < 26) {
                out.add((char) ('a' + idx));
            }
        }
        StringBuilder sb = new StringBuilder();
        out.forEach(sb::append);
        return sb.toString();
    }

    /** Keywords that have no letter and so must be kept in the index only. */
    static List<String> unlettered(Set<String> keywords, MaildirKeywords names) {
        List<String> out = new ArrayList<>();
        for (String k : keywords) {
            int idx = names.index(k);
            if (idx < 0 || idx >= 26) {
                out.add(k);
            }
        }
        return out;
    }
}
