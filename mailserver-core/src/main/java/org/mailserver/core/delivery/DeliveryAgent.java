package org.mailserver.core.delivery;

/**
 * A delivery agent: one transport of Postfix's master.cf ({@code local}, {@code smtp}, {@code lmtp},
 * {@code error}, {@code discard}). The queue manager calls {@link #deliver} on a worker thread with a
 * group of recipients that share one route, and the agent reports exactly one {@link RecipientResult} per
 * recipient through the journal. The agent never touches the queue file itself.
 *
 * <p>Agents register themselves in {@link DeliveryAgents} (a daemon service) from their module's
 * {@code DaemonModule}. An agent may block (network, disk); it must honour its own timeouts.
 */
public interface DeliveryAgent {

    /** The transport name, as used in {@code transport_maps} ({@code smtp}, {@code local}...). */
    String transport();

    /**
     * Delivers the message to the request's recipients. A thrown exception defers every recipient
     * that has not been reported yet with {@code 4.3.0}.
     */
    void deliver(DeliveryRequest request, DeliveryJournal journal) throws Exception;
}
