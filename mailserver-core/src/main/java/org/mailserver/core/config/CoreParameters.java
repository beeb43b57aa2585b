package org.mailserver.core.config;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;

/**
 * The parameters every part of the server shares: identity, domains, addresses, directories.
 * Module-specific parameters are declared by each module's own {@link ParameterProvider}.
 */
public final class CoreParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("myhostname", STRING, "", "postfix: myhostname",
                "The fully qualified host name of this server, used in the SMTP greeting, Received: headers, "
                    + "Message-IDs and the self-signed certificate. Empty means the system's host name."),
            of("mydomain", STRING, "", "postfix: mydomain",
                "The domain of this server. Empty means $myhostname without its first component."),
            of("myorigin", STRING, "$myhostname", "postfix: myorigin",
                "The domain appended to locally posted mail with a bare user name."),
            of("mydestination", LIST, "$myhostname, localhost.$mydomain, localhost", "postfix: mydestination",
                "Domains delivered locally to users of the userdb (Postfix's local domain class)."),
            of("virtual_mailbox_domains", LIST, "", "postfix: virtual_mailbox_domains",
                "Hosted domains whose users have a mailbox in the userdb (Postfix's virtual mailbox domain class)."),
            of("mynetworks", LIST, "127.0.0.0/8, [::1]/128", "postfix: mynetworks",
                "Trusted client networks (CIDR) that may relay through permit_mynetworks."),
            of("inet_interfaces", LIST, "all", "postfix: inet_interfaces",
                "Addresses the listeners bind to when master.cf gives only a port; 'all' or 'loopback-only' or addresses."),
            of("virtual_alias_maps", LOOKUP, "", "postfix: virtual_alias_maps",
                "Lookup tables that rewrite recipient addresses to one or more other addresses (catch-all @domain allowed)."),
            of("alias_maps", LOOKUP, "", "postfix: alias_maps",
                "Lookup tables of aliases for local (mydestination) users."),
            of("canonical_maps", LOOKUP, "", "postfix: canonical_maps",
                "Lookup tables that rewrite sender and recipient addresses in the envelope."),
            of("recipient_delimiter", STRING, "+", "postfix: recipient_delimiter",
                "Characters that separate a user name from an address extension (user+ext@domain is delivered to user)."),
            of("message_size_limit", SIZE, "51200000", "postfix: message_size_limit",
                "Largest message accepted, in bytes, over SMTP, LMTP and IMAP APPEND."),
            of("queue_directory", PATH, "/var/spool/mailserver", "postfix: queue_directory",
                "Where the mail queue lives (incoming, active, deferred, hold, corrupt)."),
            of("data_directory", PATH, "/var/lib/mailserver", "postfix: data_directory",
                "Where the daemon keeps its state: the control socket, generated certificates, caches.")
        );
    }
}
