package org.mailserver.imap.search;

import java.nio.charset.StandardCharsets;
import org.mailserver.imap.mime.Header;
import org.mailserver.imap.mime.HeaderDecoder;
import org.mailserver.imap.mime.HeaderSummary;

/**
 * One header field's folded values read straight from the bytes of a cached {@link HeaderSummary}, for the
 * {@link FoldedHeaderIndex}: the first header search of a mailbox computes a value for every message, and
 * going through {@link HeaderSummary#decode}, {@link Header#parse} of every cached field, a charset decoder
 * and {@link TextFolding} cost several microseconds per message. Here the cached bytes are scanned in place
 * for the one field; a value of plain ASCII without an RFC 2047 encoded word ({@code =?}) is folded by
 * lower-casing its bytes, which is exactly what decoding (ASCII is valid UTF-8 and has no encoded word) and
 * folding (NFKC leaves ASCII unchanged; upper- then lower-casing ASCII is ASCII lower-casing) would give.
 * Any other value takes the general path ({@link HeaderDecoder#decode}, {@link TextFolding#fold}) on the
 * same unfolded string {@link Header#unfolded} would give, so results equal
 * {@link HeaderColumns#fold}{@code (summary.header(), field)} for every input (RFC 3501 / RFC 9051 6.4.4:
 * substring of the decoded, unfolded value; the test compares both on many headers).
 *
 * <p>Line and field boundaries follow {@link Header#parse} exactly: a field starts at a line that does not
 * start with white space (or at the first line), its name is what precedes the first colon with trailing
 * white space removed, continuation lines start with SP or HTAB, and a blank line ends the header.
 * Stateless; thread-safe.
 */
final class CachedFieldValues {

    /** Returned when the summary is well formed and has no such field (a null would read as a cache miss). */
    static final Object NO_FIELD = new Object();

    private CachedFieldValues() {
    }

    /**
     * The folded values of {@code field} (ASCII name, any case) in a header summary cache value: one
     * String, a String[] in header order, {@link #NO_FIELD}; null when the value is not a well-formed summary.
     */
    static Object fold(byte[] cacheValue, String field) {
        long range = HeaderSummary.headerFieldsRange(cacheValue);
        if (range < 0) {
            return null;
        }
        int from = (int) (range >>> 32);
        return fold(cacheValue, from, from + (int) range, field);
    }

    /** As {@link #fold(byte[], String)} on the header bytes {@code [from, to)}. */
    static Object fold(byte[] data, int from, int to, String field) {
        Object out = NO_FIELD;
        boolean inField = false;
        boolean wanted = false;
        int valueStart = 0;
        int p = from;
        while (p < to) {
            int eol = lineEnd(data, p, to);
            boolean blank = data[p] == '\n' || (data[p] == '\r' && p + 1 < to && data[p + 1] == '\n');
            if (blank) {
                return wanted ? add(out, value(data, valueStart, p)) : out;
            }
            boolean continuation = inField && (data[p] == ' ' || data[p] == '\t');
            if (!continuation) {
                if (wanted) {
                    out = add(out, value(data, valueStart, p));
                }
                inField = true;
                int colon = indexOf(data, (byte) ':', p, eol);
                wanted = colon >= 0 && nameIs(data, p, colon, field);
                valueStart = colon + 1;
            }
            p = eol;
        }
        return wanted ? add(out, value(data, valueStart, to)) : out;
    }

    private static Object add(Object out, String v) {
        if (out == NO_FIELD) {
            return v;
        }
        if (out instanceof String s) {
            return new String[] {s, v};
        }
        String[] a = (String[]) out;
        String[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** The name in {@code [start, colon)}, trailing white space removed, equals {@code field} ignoring ASCII case. */
    private static boolean nameIs(byte[] data, int start, int colon, String field) {
        int end = colon;
        while (end > start && (data[end - 1] == ' ' || data[end - 1] == '\t')) {
            end--;
        }
        if (end - start != field.length()) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            int a = data[start + i] & 0xff;
            int b = field.charAt(i);
            if (a != b && lowerAscii(a) != lowerAscii(b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The folded value in {@code [start, end)}: CR and LF removed and SP/HTAB trimmed (as
     * {@link Header#unfolded}), then decoded and folded.
     */
    static String value(byte[] data, int start, int end) {
        int s = start;
        int e = end;
        while (s < e && isBlankOrBreak(data[s])) {
            s++;
        }
        while (e > s && isBlankOrBreak(data[e - 1])) {
            e--;
        }
        byte[] out = new byte[e - s];
        int n = 0;
        boolean plain = true;
        for (int i = s; i < e; i++) {
            byte b = data[i];
            if (b == '\r' || b == '\n') {
                continue;
            }
            if (b < 0 || (b == '?' && n > 0 && out[n - 1] == '=')) {
                plain = false; // 8-bit text or an encoded word: the general path below
            }
            out[n++] = b;
        }
        if (!plain) {
            return TextFolding.fold(HeaderDecoder.decode(new String(out, 0, n, StandardCharsets.ISO_8859_1)));
        }
        for (int i = 0; i < n; i++) {
            byte b = out[i];
            if (b >= 'A' && b <= 'Z') {
                out[i] = (byte) (b + 32);
            }
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static boolean isBlankOrBreak(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static int lowerAscii(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static int indexOf(byte[] data, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] data, int p, int limit) {
        for (int i = p; i < limit; i++) {
            if (data[i] == '\n') {
                return i + 1;
            }
        }
        return limit;
    }
}
