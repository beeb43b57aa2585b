package org.mailserver.imap.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * BODY[HEADER.FIELDS (names)] (RFC 3501 6.4.5) straight from header bytes, on bytes: the complete fields
 * whose names are in the list, in message order, then the blank line. Same reading of the bytes as
 * {@link Header#parse} followed by {@link Header#select} (line ends, continuation lines, a name ends at
 * the colon with trailing blanks removed, a line without a colon has the empty name), tested equal to it;
 * but no Field objects, no String per field name and no intermediate stream: Thunderbird's folder open
 * asks for 15 fields of every message and this runs once per message from the cached header summary.
 *
 * <p>Built once per FETCH command ({@link #of} keeps the last one, keyed by the identity of the client's
 * name list). Immutable and thread-safe. Never throws on any input.
 */
public final class HeaderFieldFilter {

    /** The wanted names, lower case, as ISO-8859-1 bytes; null for a name no field name can equal. */
    private final byte[][] names;
    private final List<String> source;
    private final boolean cached;

    private static volatile HeaderFieldFilter last;

    private HeaderFieldFilter(List<String> source) {
        this.source = source;
        this.cached = HeaderSummary.covers(source);
        this.names = new byte[source.size()][];
        for (int i = 0; i < names.length; i++) {
            String lower = source.get(i).toLowerCase(Locale.ROOT);
            // a field name is ISO-8859-1 (one char per byte): a wanted name beyond it never matches
            names[i] = lower.chars().allMatch(c -> c <= 0xff) ? lower.getBytes(StandardCharsets.ISO_8859_1) : null;
        }
    }

    /** The filter for this list of names (the client's, compared case-insensitively). */
    public static HeaderFieldFilter of(List<String> fieldNames) {
        HeaderFieldFilter f = last;
        if (f != null && (f.source == fieldNames || f.source.equals(fieldNames))) {
            return f;
        }
        f = new HeaderFieldFilter(fieldNames);
        last = f;
        return f;
    }

    /** Whether every name is one of {@link HeaderSummary#CACHED_FIELDS} (decided once, not per message). */
    public boolean coveredByCache() {
        return cached;
    }

    /**
     * The selected fields of the header in {@code src[from, to)} followed by CRLF, as an IMAP literal
     * ({@code {n}\r\n} then the bytes), in one array.
     */
    public byte[] literal(byte[] src, int from, int to) {
        int bound = to - from + 2 + 2 * countUnterminated(src, from, to);
        byte[] body = SCRATCH.get();
        if (body.length < bound) {
            body = new byte[Math.max(bound, body.length * 2)];
            if (body.length <= MAX_SCRATCH) {
                SCRATCH.set(body);
            }
        }
        int n = select(src, from, to, body);
        int digits = 1;
        for (int v = n; v >= 10; v /= 10) {
            digits++;
        }
        byte[] out = new byte[digits + 4 + n];
        out[0] = '{';
        for (int i = digits, v = n; i >= 1; i--, v /= 10) {
            out[i] = (byte) ('0' + v % 10);
        }
        out[digits + 1] = '}';
        out[digits + 2] = '\r';
        out[digits + 3] = '\n';
        System.arraycopy(body, 0, out, digits + 4, n);
        return out;
    }

    /**
     * Per-thread room for {@link #select}'s output, so that a whole-mailbox FETCH allocates only the literal
     * it returns per message (the scratch never escapes a call; larger needs get a one-off array).
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);
    private static final int MAX_SCRATCH = 64 * 1024;

    /** Upper bound of the CRLFs {@link #select} adds: 1 when the bytes do not end with LF (a last field cut short). */
    private static int countUnterminated(byte[] src, int from, int to) {
        return to > from && src[to - 1] != '\n' ? 1 : 0;
    }

    /** Writes the selected fields and the blank line into {@code dst} from 0; returns the length written. */
    int select(byte[] src, int from, int to, byte[] dst) {
        int w = 0;
        int p = from;
        int fStart = -1;
        boolean keep = false;
        while (p < to) {
            int eol = Header.lineEnd(src, p, to);
            boolean blank = src[p] == '\n' || (src[p] == '\r' && p + 1 < to && src[p + 1] == '\n');
            if (blank) {
                break;
            }
            boolean continuation = (src[p] == ' ' || src[p] == '\t') && fStart >= 0;
            if (!continuation) {
                if (fStart >= 0 && keep) {
                    w = copy(src, fStart, p, dst, w);
                }
                fStart = p;
                keep = listed(src, p, eol);
            }
            p = eol;
        }
        if (fStart >= 0 && keep) {
            w = copy(src, fStart, p, dst, w);
        }
        dst[w++] = '\r';
        dst[w++] = '\n';
        return w;
    }

    private static int copy(byte[] src, int start, int end, byte[] dst, int w) {
        System.arraycopy(src, start, dst, w, end - start);
        w += end - start;
        if (end > start && src[end - 1] != '\n') {
            dst[w++] = '\r';
            dst[w++] = '\n';
        }
        return w;
    }

    /** Whether the field starting at {@code p} (line ends at {@code eol}) has a wanted name. */
    private boolean listed(byte[] src, int p, int eol) {
        int colon = -1;
        for (int i = p; i < eol; i++) {
            if (src[i] == ':') {
                colon = i;
                break;
            }
        }
        int ne = colon < 0 ? p : colon; // no colon: the empty name
        while (colon >= 0 && ne > p && (src[ne - 1] == ' ' || src[ne - 1] == '\t')) {
            ne--;
        }
        int len = ne - p;
        for (byte[] name : names) {
            if (name != null && name.length == len && equalsLower(src, p, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsLower(byte[] src, int p, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            // String.toLowerCase(Locale.ROOT) on ISO-8859-1: A-Z, and the Latin-1 capitals but the multiplication sign
            int c = src[p + i] & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 0xc0 && c <= 0xde && c != 0xd7) {
                c += 32;
            }
            if (c != (lower[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }
}
