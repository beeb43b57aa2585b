package org.mailserver.core.queue;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** Parameters of the queue, the queue manager and routing (Postfix's qmgr and trivial-rewrite). */
public final class QueueParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("queue_run_delay", DURATION, "300s", "postfix: queue_run_delay",
                "How often the queue manager scans the deferred queue for messages whose backoff has passed."),
            of("minimal_backoff_time", DURATION, "300s", "postfix: minimal_backoff_time",
                "The shortest wait before retrying a deferred message; the wait doubles with each attempt."),
            of("maximal_backoff_time", DURATION, "4000s", "postfix: maximal_backoff_time",
                "The longest wait between two delivery attempts of a deferred message."),
            of("maximal_queue_lifetime", DURATION, "5d", "postfix: maximal_queue_lifetime",
                "How long a message may stay deferred before it is bounced as undeliverable (DSN 4.4.7 with the last reason)."),
            of("bounce_queue_lifetime", DURATION, "5d", "postfix: bounce_queue_lifetime",
                "The lifetime of a message with the null sender (a bounce or notice): it is dropped, never bounced, when it runs out."),
            of("delay_warning_time", DURATION, "4h", "postfix: delay_warning_time",
                "After this long in the queue the sender gets one delay notice (RFC 3464 action delayed) for recipients "
                    + "whose NOTIFY allows it. 0 turns notices off. Postfix's default is 0h; we send them by default."),
            of("bounce_size_limit", SIZE, "50000", "postfix: bounce_size_limit",
                "The most of the original message returned in a bounce; a bigger message is returned as headers only."),
            of("qmgr_message_active_limit", INTEGER, "20000", "postfix: qmgr_message_active_limit",
                "How many messages the queue manager keeps in memory at once; more wait in active/ on disk."),
            of("default_process_limit", INTEGER, "100", "postfix: default_process_limit",
                "The most deliveries running at once over all transports (worker threads of the queue manager)."),
            of("default_destination_concurrency_limit", INTEGER, "20", "postfix: default_destination_concurrency_limit",
                "The most parallel deliveries to one destination (transport and next hop) unless a transport sets its own limit."),
            of("smtp_destination_concurrency_limit", INTEGER, "$default_destination_concurrency_limit",
                "postfix: smtp_destination_concurrency_limit", "The most parallel SMTP deliveries to one destination domain or relay."),
            of("lmtp_destination_concurrency_limit", INTEGER, "$default_destination_concurrency_limit",
                "postfix: lmtp_destination_concurrency_limit", "The most parallel LMTP deliveries to one LMTP server."),
            of("local_destination_concurrency_limit", INTEGER, "$default_destination_concurrency_limit",
                "postfix: local_destination_concurrency_limit", "The most parallel local deliveries into the mail store, per local domain."),
            of("default_destination_rate_delay", DURATION, "0s", "postfix: default_destination_rate_delay",
                "A pause between two deliveries to the same destination; 0 means no pause. A non-zero value also limits "
                    + "that destination to one delivery at a time."),
            of("default_destination_recipient_limit", INTEGER, "50", "postfix: default_destination_recipient_limit",
                "The most recipients of one message given to one delivery (one SMTP transaction)."),
            of("default_transport", STRING, "smtp", "postfix: default_transport",
                "The transport for recipients in no local domain and not matched by transport_maps."),
            of("relayhost", STRING, "", "postfix: relayhost",
                "Send all non-local mail through this host instead of looking up MX records: host (MX lookup), [host] "
                    + "(no MX lookup) with an optional :port, e.g. [smtp.example.net]:587."),
            of("transport_maps", LOOKUP, "", "postfix: transport_maps",
                "Lookup tables from address, domain or .parent-domain to transport:nexthop: smtp:[host]:port, lmtp:host:port, "
                    + "error:5.1.1 text, discard:, local:."),
            of("sender_dependent_relayhost_maps", LOOKUP, "", "postfix: sender_dependent_relayhost_maps",
                "Lookup tables from sender address or @domain to a relay host that overrides relayhost for that sender.")
        );
    }
}
