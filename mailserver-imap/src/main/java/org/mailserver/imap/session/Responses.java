package org.mailserver.imap.session;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;

/** Formatting shared by several commands: flag lists, FLAGS items, dates, UID sets. */
public final class Responses {
    /** RFC 3501 date-time: "dd-Mon-yyyy hh:mm:ss +zzzz" (day space-padded). */
    private static final DateTimeFormatter DATE_TIME =
        DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final Flag[] FLAGS = Flag.values();

    private Responses() {
    }

    /**
     * Every flag list without keywords, as bytes: index = bit per {@link Flag} ordinal, plus 1 << FLAGS.length
     * for \Recent. FETCH FLAGS of a whole mailbox looks one up per message instead of building a string.
     */
    private static final byte[][] PLAIN_FLAG_LISTS = plainFlagLists();

    private static byte[][] plainFlagLists() {
        byte[][] out = new byte[1 << (FLAGS.length + 1)][];
        for (int bits = 0; bits < out.length; bits++) {
            java.util.EnumSet<Flag> flags = java.util.EnumSet.noneOf(Flag.class);
            for (Flag f : FLAGS) {
                if ((bits & (1 << f.ordinal())) != 0) {
                    flags.add(f);
                }
            }
            boolean recent = (bits & (1 << FLAGS.length)) != 0;
            out[bits] = flagList(new MessageMeta(1, flags, java.util.Set.of(), 0, java.time.Instant.EPOCH, 1), recent)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return out;
    }

    /**
     * {@link #flagList} as UTF-8 bytes; for a message without keywords a shared array that the caller must not
     * modify.
     */
    public static byte[] flagListBytes(MessageMeta m, boolean recent) {
        if (!m.keywords().isEmpty()) {
            return flagList(m, recent).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        int bits = recent ? 1 << FLAGS.length : 0;
        for (Flag f : m.flags()) {
            bits |= 1 << f.ordinal();
        }
        return PLAIN_FLAG_LISTS[bits];
    }

    /** The flags of a message: system flags, \Recent when the session sees it as recent, then keywords. */
    public static String flagList(MessageMeta m, boolean recent) {
        StringBuilder sb = new StringBuilder(48).append('(');
        for (Flag f : FLAGS) {
            if (m.flags().contains(f)) {
                sb.append(sb.length() > 1 ? " " : "").append(f.imapName());
            }
        }
        if (recent) {
            sb.append(sb.length() > 1 ? " " : "").append("\\Recent");
        }
        if (!m.keywords().isEmpty()) {
            for (String k : m.keywords()) {
                sb.append(sb.length() > 1 ? " " : "").append(k);
            }
        }
        return sb.append(')').toString();
    }

    /** {@code FLAGS (...) UID n [MODSEQ (m)]} for unsolicited flag updates (UID always: RFC 7162 3.2.4 needs it with QRESYNC). */
    public static String flagsItem(ImapSession s, MessageMeta m) {
        SelectedMailbox sel = s.selected();
        boolean recent = sel != null && sel.recent().contains(m.uid()) && !s.rev2(); // RFC 9051 has no \Recent
        String item = "FLAGS " + flagList(m, recent) + " UID " + m.uid();
        if (s.isEnabled(ImapSession.Enabled.CONDSTORE) || s.isEnabled(ImapSession.Enabled.QRESYNC)) {
            item += " MODSEQ (" + m.modSeq() + ")";
        }
        return item;
    }

    public static String dateTime(java.time.Instant instant) {
        return "\"" + DATE_TIME.format(instant) + "\"";
    }

    /** Inclusive [lo, hi] ranges as an IMAP sequence set ({@code 1:3,7}). */
    public static String ranges(List<long[]> ranges) {
        StringBuilder sb = new StringBuilder();
        for (long[] r : ranges) {
            sb.append(sb.length() == 0 ? "" : ",").append(r[0]).append(r[0] == r[1] ? "" : ":" + r[1]);
        }
        return sb.toString();
    }

    /** Compresses ascending-or-not numbers into an IMAP sequence set ({@code 1:3,7}), keeping the given order. */
    public static String numberSet(List<Long> numbers) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < numbers.size()) {
            long start = numbers.get(i);
            long end = start;
            while (i + 1 < numbers.size() && numbers.get(i + 1) == end + 1) {
                end = numbers.get(++i);
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append(':').append(end);
            }
            i++;
        }
        return sb.toString();
    }
}
