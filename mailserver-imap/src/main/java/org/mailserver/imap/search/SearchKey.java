package org.mailserver.imap.search;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.mailserver.storage.Flag;

/**
 * The parsed SEARCH criteria (RFC 3501 6.4.4, RFC 7162 MODSEQ), built by the protocol layer's
 * {@code SearchKeyParser} and evaluated by a {@link SearchEvaluator}. Sequence sets, {@code UID} sets and
 * the saved result {@code $} (RFC 5182) are already resolved to UIDs by the parser; the evaluator never
 * sees sequence numbers. A top-level list of keys is an {@link And}. Shortcuts are expanded by the parser:
 * ANSWERED/UNANSWERED etc. are {@link HasFlag}/{@link Not}; NEW is And(Recent, Not(Seen)); OLD is Not(Recent);
 * FROM/TO/CC/BCC/SUBJECT are {@link Header} keys.
 */
public sealed interface SearchKey {

    /** ALL. */
    record All() implements SearchKey {
    }

    /** A system flag is set. */
    record HasFlag(Flag flag) implements SearchKey {
    }

    /** KEYWORD (UNKEYWORD is Not(HasKeyword)); compare case-insensitively. */
    record HasKeyword(String keyword) implements SearchKey {
    }

    /** RECENT: the UID is in the session's recent set ({@link SearchContext#recent()}). */
    record Recent() implements SearchKey {
    }

    /** A sequence set or UID set, resolved to the UIDs it names. */
    record InUids(Set<Long> uids) implements SearchKey {
    }

    /** BEFORE / ON / SINCE on the INTERNALDATE's date (in the server's zone per RFC 3501: we use UTC). */
    record InternalDate(DateOp op, LocalDate date) implements SearchKey {
    }

    /** SENTBEFORE / SENTON / SENTSINCE on the Date: header's date (ignoring time and zone). */
    record SentDate(DateOp op, LocalDate date) implements SearchKey {
    }

    /** LARGER n (larger = true) or SMALLER n on RFC822.SIZE. */
    record Size(boolean larger, long bytes) implements SearchKey {
    }

    /**
     * HEADER field value, and FROM/TO/CC/BCC/SUBJECT: case-insensitive substring of the (decoded) field
     * value; an empty value matches every message that has the field.
     */
    record Header(String field, String value) implements SearchKey {
    }

    /** BODY: substring of the decoded body text, case-insensitive. */
    record Body(String value) implements SearchKey {
    }

    /** TEXT: substring of the header or body. */
    record Text(String value) implements SearchKey {
    }

    /** MODSEQ (RFC 7162 3.1.5): modseq &gt;= the value. The entry name and type are ignored (we keep no per-flag modseq). */
    record ModSeq(long modSeq) implements SearchKey {
    }

    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    /** Date comparisons: BEFORE is strictly earlier, ON the same day, SINCE the same day or later. */
    enum DateOp { BEFORE, ON, SINCE }
}
