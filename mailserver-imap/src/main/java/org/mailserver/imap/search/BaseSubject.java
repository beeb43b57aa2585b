package org.mailserver.imap.search;

import org.mailserver.imap.mime.HeaderDecoder;

/**
 * The base subject of RFC 5256 2.1, used by SORT SUBJECT, THREAD=ORDEREDSUBJECT and THREAD=REFERENCES:
 * decoded, white space collapsed, without trailing "(fwd)", leading "Re:", "Fw:", "Fwd:" with optional
 * [blobs], leading [blobs] that do not make up the whole subject, and "[fwd: ... ]" wrappers, repeated until
 * stable. {@link #isReplyOrForward} tells whether any such marker was removed (RFC 5256 2.1 and 3 step F).
 *
 * @param base             the base subject (may be empty)
 * @param isReplyOrForward true when a reply or forward marker was removed
 */
record BaseSubject(String base, boolean isReplyOrForward) {

    /** From a raw Subject header value (null means no subject: empty base subject). */
    static BaseSubject of(String rawSubject) {
        if (rawSubject == null) {
            return new BaseSubject("", false);
        }
        // (1) decode, tabs and continuations to spaces, collapse runs of spaces
        String s = collapseWhiteSpace(HeaderDecoder.decode(rawSubject));
        boolean refwd = false;
        while (true) {
            // (2) trailing subj-trailer: "(fwd)" / WSP
            while (true) {
                if (s.endsWith(" ")) {
                    s = s.substring(0, s.length() - 1);
                } else if (s.regionMatches(true, Math.max(0, s.length() - 5), "(fwd)", 0, 5) && s.length() >= 5) {
                    s = s.substring(0, s.length() - 5);
                    refwd = true;
                } else {
                    break;
                }
            }
            // (3)-(5) leaders and leading blobs
            boolean changed;
            do {
                changed = false;
                while (true) {
                    if (s.startsWith(" ")) {
                        s = s.substring(1);
                        changed = true;
                        continue;
                    }
                    int n = leader(s);
                    if (n > 0) {
                        s = s.substring(n);
                        refwd = true;
                        changed = true;
                        continue;
                    }
                    break;
                }
                int b = blob(s, 0);
                if (b > 0 && b < s.length()) {
                    s = s.substring(b);
                    changed = true;
                }
            } while (changed);
            // (6) [fwd: subject]
            if (s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                refwd = true;
                continue;
            }
            return new BaseSubject(s, refwd);
        }
    }

    /** Tabs and line breaks become spaces, runs of spaces one space (RFC 5256 2.1 step 1). */
    private static String collapseWhiteSpace(String in) {
        StringBuilder sb = new StringBuilder(in.length());
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') {
                c = ' ';
            }
            if (c != ' ' || sb.length() == 0 || sb.charAt(sb.length() - 1) != ' ') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Length of *subj-blob subj-refwd at the start, or -1. */
    private static int leader(String s) {
        int p = 0;
        for (int b; (b = blob(s, p)) > 0; ) {
            p += b;
        }
        int q;
        if (s.regionMatches(true, p, "re", 0, 2)) {
            q = p + 2;
        } else if (s.regionMatches(true, p, "fwd", 0, 3)) {
            q = p + 3;
        } else if (s.regionMatches(true, p, "fw", 0, 2)) {
            q = p + 2;
        } else {
            return -1;
        }
        while (q < s.length() && (s.charAt(q) == ' ' || s.charAt(q) == '\t')) {
            q++;
        }
        int b = blob(s, q);
        if (b > 0) {
            q += b;
        }
        return q < s.length() && s.charAt(q) == ':' ? q + 1 : -1;
    }

    /** Length of subj-blob ("[" *BLOBCHAR "]" *WSP) at {@code i}, or -1. */
    private static int blob(String s, int i) {
        if (i >= s.length() || s.charAt(i) != '[') {
            return -1;
        }
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != '[' && s.charAt(j) != ']') {
            j++;
        }
        if (j >= s.length() || s.charAt(j) != ']') {
            return -1;
        }
        j++;
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
        }
        return j - i;
    }
}
