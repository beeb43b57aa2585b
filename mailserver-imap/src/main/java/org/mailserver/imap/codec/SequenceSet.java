package org.mailserver.imap.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * An IMAP sequence-set (RFC 3501 9: {@code 1:3,5,7:*}) as parsed, before it is applied to a mailbox.
 * {@code *} is stored as {@link #STAR}. Resolution against the session's view happens in the commands, since
 * sequence numbers and UIDs resolve differently (RFC 3501 6.4.8: a UID range includes the largest UID for
 * {@code n:*} even when n is larger).
 */
public record SequenceSet(List<long[]> ranges, boolean saved) {
    public static final long STAR = Long.MAX_VALUE;

    /** {@code $}: the result saved by the last {@code SEARCH RETURN (SAVE)} (RFC 5182 2.1). */
    public static final SequenceSet SAVED = new SequenceSet(List.of(), true);

    public static SequenceSet parse(String text) throws SyntaxException {
        if (text.equals("$")) {
            return SAVED;
        }
        List<long[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            long a = number(colon < 0 ? part : part.substring(0, colon));
            long b = colon < 0 ? a : number(part.substring(colon + 1));
            ranges.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        return new SequenceSet(ranges, false);
    }

    private static long number(String s) throws SyntaxException {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) {
            throw new SyntaxException("Invalid messageset");
        }
        long n = Long.parseLong(s);
        if (n == 0 || n > 4294967295L) {
            throw new SyntaxException("Invalid messageset");
        }
        return n;
    }

    /** The members of the set among the given ascending values, with {@code *} meaning the last value. */
    public List<Long> select(long[] ascending) {
        return select(ascending, ascending.length);
    }

    /**
     * The members of the set among the first {@code count} of the given ascending values, with {@code *}
     * meaning the last of them; ascending, each once. Costs O(r log n + k) for r ranges and k members: the
     * ranges are merged first, then each is found by binary search.
     */
    public List<Long> select(long[] ascending, int count) {
        if (count == 0) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        for (long[] r : merged(ascending[count - 1])) {
            int i = java.util.Arrays.binarySearch(ascending, 0, count, r[0]);
            for (int k = i < 0 ? -i - 1 : i; k < count && ascending[k] <= r[1]; k++) {
                out.add(ascending[k]);
            }
        }
        return out;
    }

    /**
     * The UIDs at the set's sequence numbers (1-based positions in the first {@code count} ascending UIDs),
     * ascending, each once; numbers beyond {@code count} are ignored (the caller checks them first).
     */
    public List<Long> atPositions(long[] ascendingUids, int count) {
        List<Long> out = new ArrayList<>();
        if (count == 0) {
            return out;
        }
        for (long[] r : merged(count)) {
            for (long seq = r[0]; seq <= Math.min(r[1], count); seq++) {
                out.add(ascendingUids[(int) seq - 1]);
            }
        }
        return out;
    }

    /** The ranges with {@code *} replaced by {@code max}, each low-high, sorted and merged where they touch. */
    private List<long[]> merged(long max) {
        List<long[]> norm = new ArrayList<>(ranges.size());
        for (long[] r : ranges) {
            long lo = r[0] == STAR ? max : r[0];
            long hi = r[1] == STAR ? max : r[1];
            norm.add(lo <= hi ? new long[] {lo, hi} : new long[] {hi, lo});
        }
        norm.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> out = new ArrayList<>(norm.size());
        for (long[] r : norm) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** The largest explicit number (ignoring {@code *}), to validate sequence numbers. */
    public long maxExplicit() {
        long m = 0;
        for (long[] r : ranges) {
            for (long v : r) {
                if (v != STAR) {
                    m = Math.max(m, v);
                }
            }
        }
        return m;
    }

    /** Every explicit number of the set, for UID sets given as data (QRESYNC known-uids); {@code *} not allowed. */
    public List<Long> expand(long limit) throws SyntaxException {
        List<Long> out = new ArrayList<>();
        for (long[] r : ranges) {
            if (r[1] == STAR) {
                throw new SyntaxException("* not allowed here");
            }
            for (long v = r[0]; v <= r[1]; v++) {
                out.add(v);
                if (out.size() > limit) {
                    throw new SyntaxException("set too large");
                }
            }
        }
        return out;
    }
}
