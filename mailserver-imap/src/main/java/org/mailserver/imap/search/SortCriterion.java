package org.mailserver.imap.search;

/** One SORT criterion (RFC 5256 3, RFC 5957 DISPLAYFROM/DISPLAYTO), possibly REVERSE. */
public record SortCriterion(Key key, boolean reverse) {

    public enum Key { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }
}
