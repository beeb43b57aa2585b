package org.mailserver.core.queue;

import java.io.IOException;
import java.util.List;

/**
 * The operations behind the {@code queue} admin commands. The running queue manager implements them
 * with its in-memory state in mind (a message in delivery is deleted or held when its attempt ends);
 * {@link OfflineQueueAdmin} implements them on the files when the daemon is down.
 */
public interface QueueAdmin {

    /** Every message in active, deferred and hold, sorted by ID. */
    List<QueueEntry> list() throws IOException;

    /** Makes every deferred message due now; returns how many. */
    int flush() throws IOException;

    /**
     * Deletes messages. {@code ids} may be {@code ["ALL"]}; {@code only} restricts to one state (null: any).
     * Returns the IDs deleted (or marked for deletion at the end of their current attempt).
     */
    List<String> delete(List<String> ids, QueueState only) throws IOException;

    /** Moves messages to hold ({@code ALL} allowed); returns the IDs affected. */
    List<String> hold(List<String> ids) throws IOException;

    /** Moves held messages back to the deferred queue, due now ({@code ALL} allowed). */
    List<String> release(List<String> ids) throws IOException;

    /** Re-routes and retries messages now, from deferred or hold ({@code ALL} allowed). */
    List<String> requeue(List<String> ids) throws IOException;

    /** {@code postcat -q}: envelope records and content of one message. */
    String cat(String id) throws IOException;
}
