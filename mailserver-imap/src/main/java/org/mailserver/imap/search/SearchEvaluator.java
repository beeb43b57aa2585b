package org.mailserver.imap.search;

import java.util.List;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageException;

/**
 * Evaluates SEARCH keys, SORT and THREAD over a mailbox (RFC 3501 6.4.4, RFC 5256). Implemented by the
 * MIME/search layer ({@code org.mailserver.imap.search} implementation classes), found through
 * {@code META-INF/services/org.mailserver.imap.search.SearchEvaluator}; without one the protocol layer uses
 * {@link BasicSearchEvaluator} (metadata keys only). Called on the blocking executor; thread-safe.
 *
 * <p>{@code messages} are the messages of the session's view, in UID order (the candidates); results are UIDs.
 */
public interface SearchEvaluator {

    /** The UIDs of the messages matching the key, ascending. */
    List<Long> search(Mailbox mailbox, List<MessageMeta> messages, SearchKey key, SearchContext context)
        throws StorageException;

    /** The UIDs of the matching messages, in the order of the criteria (ties by UID, RFC 5256 3). */
    List<Long> sort(Mailbox mailbox, List<MessageMeta> messages, List<SortCriterion> criteria, SearchKey key,
                    SearchContext context) throws StorageException;

    /** THREAD=REFERENCES over the matching messages (RFC 5256 4); algorithm is upper case. */
    List<ThreadNode> thread(Mailbox mailbox, List<MessageMeta> messages, String algorithm, SearchKey key,
                            SearchContext context) throws StorageException;

    /**
     * Work that prepares what the first SEARCH of a large mailbox would otherwise build, started after SELECT
     * and run by the protocol layer in steps on its work pool, only while nothing else runs. Must not change
     * any result, only how fast later searches answer.
     */
    interface BackgroundWork {
        /**
         * Works until finished (true) or until {@code pause} says other work is waiting (false: call again
         * later, the progress is kept). Also true when there is nothing to do or the work was cancelled.
         */
        boolean step(java.util.function.BooleanSupplier pause) throws StorageException;

        /** Gives up (the caller will not call {@link #step} again); releases whatever the work holds. */
        void abandon();
    }

    /** The background preparation of this mailbox; {@code cancelled} tells it the session left. None by default. */
    default BackgroundWork prepare(Mailbox mailbox, java.util.function.BooleanSupplier cancelled) {
        return null;
    }

    /** Thread algorithms supported, advertised as THREAD=name. */
    default List<String> threadAlgorithms() {
        return List.of("REFERENCES");
    }
}
