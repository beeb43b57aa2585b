package org.mailserver.imap.search;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * A lenient reader of RFC 5322 3.3 date-times (with the obsolete forms of 4.3: two- and three-digit
 * years, alphabetic zones, comments, missing seconds), for SENTBEFORE/SENTON/SENTSINCE (the date as
 * written, RFC 3501 6.4.4), SORT DATE and THREAD (converted to UTC, RFC 5256 2.2). Returns null for what it
 * cannot read; callers then use the internal date, as RFC 5256 2.2 says for SORT.
 */
final class MailDate {

    private static final Map<String, Integer> ZONES = Map.ofEntries(Map.entry("UT", 0), Map.entry("GMT", 0),
        Map.entry("Z", 0), Map.entry("EST", -5 * 60), Map.entry("EDT", -4 * 60), Map.entry("CST", -6 * 60),
        Map.entry("CDT", -5 * 60), Map.entry("MST", -7 * 60), Map.entry("MDT", -6 * 60), Map.entry("PST", -8 * 60),
        Map.entry("PDT", -7 * 60));
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private MailDate() {
    }

    static OffsetDateTime parse(String value) {
        if (value == null) {
            return null;
        }
        String[] t = tokens(value);
        int i = 0;
        if (t.length > 0 && !t[0].isEmpty() && Character.isLetter(t[0].charAt(0))) {
            i++; // day of week
        }
        try {
            if (t.length < i + 4) {
                return null;
            }
            int day = Integer.parseInt(t[i]);
            int month = MONTHS.indexOf(t[i + 1].toLowerCase(Locale.ROOT).substring(0, Math.min(3, t[i + 1].length())));
            if (month < 0 || month % 3 != 0 || t[i + 1].length() < 3) {
                return null;
            }
            int year = Integer.parseInt(t[i + 2]);
            if (t[i + 2].length() <= 2) {
                year += year < 50 ? 2000 : 1900; // RFC 5322 4.3
            } else if (t[i + 2].length() == 3) {
                year += 1900;
            }
            String[] hms = t[i + 3].split(":");
            int hour = Integer.parseInt(hms[0]);
            int minute = hms.length > 1 ? Integer.parseInt(hms[1]) : 0;
            int second = hms.length > 2 ? Integer.parseInt(hms[2]) : 0;
            int offsetMinutes = 0;
            if (t.length > i + 4) {
                offsetMinutes = zone(t[i + 4]);
            }
            return OffsetDateTime.of(year, month / 3 + 1, day, hour, minute, Math.min(second, 59), 0,
                ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The words of a date-time: comments, commas and white space separate them. */
    private static String[] tokens(String value) {
        java.util.List<String> out = new java.util.ArrayList<>(7);
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && !(c == ',' || Character.isWhitespace(c))) {
                cur.append(c);
                continue;
            }
            if (cur.length() > 0) {
                out.add(cur.toString());
                cur.setLength(0);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out.toArray(new String[0]);
    }

    private static int zone(String z) {
        if ((z.startsWith("+") || z.startsWith("-")) && z.length() == 5) {
            int v = Integer.parseInt(z.substring(1, 3)) * 60 + Integer.parseInt(z.substring(3, 5));
            return z.charAt(0) == '-' ? -v : v;
        }
        return ZONES.getOrDefault(z.toUpperCase(Locale.ROOT), 0); // RFC 5322 4.3: unknown zones are -0000
    }

    /** The calendar date as written in the header, ignoring time and zone (RFC 3501 6.4.4 SENT*). */
    static LocalDate writtenDate(String value) {
        OffsetDateTime d = parse(value);
        return d == null ? null : d.toLocalDate();
    }
}
