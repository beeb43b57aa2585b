package org.mailserver.imap.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The msg-ids ({@code <...>}) of a Message-ID, References or In-Reply-To value, in order (RFC 5322 3.6.4),
 * for THREAD=REFERENCES (RFC 5256 3 step 1). Text outside angle brackets (phrases of obsolete In-Reply-To
 * forms, comments) is ignored; white space inside an id is removed, as broken folding puts it there.
 */
final class MessageIds {

    private MessageIds() {
    }

    private static String withoutWhiteSpace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        int pos = 0;
        while (true) {
            int open = value.indexOf('<', pos);
            if (open < 0) {
                break;
            }
            int close = value.indexOf('>', open + 1);
            if (close < 0) {
                break;
            }
            String id = withoutWhiteSpace(value.substring(open + 1, close));
            if (!id.isEmpty() && id.indexOf('<') < 0) {
                out.add(id);
            }
            pos = close + 1;
        }
        return out;
    }
}
