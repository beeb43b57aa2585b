package org.mailserver.imap.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
        TreeSet<Long> out = new TreeSet<>();
        if (ascending.length == 0) {
            return List.of();
        }
        long max = ascending[ascending.length - 1];
        for (long[] r : ranges) {
            long lo = r[0] == STAR ? max : r[0];
            long hi = r[1] == STAR ? max : r[1];
            if (lo > hi) {
                long t = lo;
                lo = hi;
                hi = t;
            }
            int i = java.util.Arrays.binarySearch(ascending, lo);
            for (int k = i < 0 ? -i - 1 : i; k < ascending.length && ascending[k] <= hi; k++) {
                out.add(ascending[k]);
            }
        }
        return new ArrayList<>(out);
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
