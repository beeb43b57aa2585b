package org.mailserver.smtp.outbound;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** Parameters of the outbound SMTP/LMTP client (Postfix's smtp(8) and lmtp(8)). */
public final class OutboundParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("dns_resolver", STRING, "", "",
                "The DNS server used for MX and address lookups of outbound mail: host, host:port or [ipv6]:port. "
                    + "Empty means the system's resolvers (/etc/resolv.conf). Tests point it at their own server."),
            of("smtp_helo_name", STRING, "$myhostname", "postfix: smtp_helo_name",
                "The name sent in EHLO/HELO/LHLO by the outbound client."),
            of("smtp_tcp_port", INTEGER, "25", "postfix: (from /etc/services)",
                "The port of remote MX hosts when the next hop gives none."),
            of("lmtp_tcp_port", INTEGER, "24", "postfix: lmtp_tcp_port",
                "The port of an LMTP next hop that gives none."),
            of("smtp_address_preference", STRING, "ipv6", "postfix: smtp_address_preference",
                "Which addresses of an MX host to try first: ipv6 (then IPv4) or ipv4 (then IPv6)."),
            of("smtp_mx_address_limit", INTEGER, "5", "postfix: smtp_mx_address_limit",
                "The most addresses (over all MX hosts) tried for one delivery; 0 means no limit."),
            of("smtp_tls_security_level", STRING, "may", "postfix: smtp_tls_security_level",
                "Outbound TLS: none, may (opportunistic STARTTLS, the default), encrypt (TLS required), verify or "
                    + "secure (TLS required with a trusted certificate whose name matches the MX host), dane (RFC 7672: "
                    + "certificate checked against DNSSEC-secure TLSA records when the MX host has them, else may; needs a "
                    + "validating dns_resolver, see docs/outbound.md), dane-only (DANE or defer)."),
            of("smtp_tls_policy_maps", LOOKUP, "", "postfix: smtp_tls_policy_maps",
                "Per next hop TLS level overrides: lookup tables from the next hop (domain, [host]:port) to a level "
                    + "(none, may, encrypt, dane, dane-only, verify, secure)."),
            of("smtp_tls_CAfile", STRING, "", "postfix: smtp_tls_CAfile",
                "PEM file of trusted certification authorities for verify/secure; empty means the JDK's trust store."),
            of("smtp_tls_wrappermode", BOOLEAN, "no", "postfix: smtp_tls_wrappermode",
                "Use implicit TLS from the first byte (port 465 submissions relays, RFC 8314) instead of STARTTLS."),
            of("smtp_sasl_auth_enable", BOOLEAN, "no", "postfix: smtp_sasl_auth_enable",
                "Authenticate to the next hop (usually the relayhost) with credentials from smtp_sasl_password_maps."),
            of("smtp_sasl_password_maps", LOOKUP, "", "postfix: smtp_sasl_password_maps",
                "Lookup tables from next hop ([host]:port, [host], host or domain) or sender to user:password."),
            of("smtp_sasl_security_options", STRING, "noplaintext, noanonymous", "postfix: smtp_sasl_security_options",
                "SASL restrictions without TLS: with noplaintext (the default) passwords are never sent over a plaintext connection."),
            of("smtp_sasl_tls_security_options", STRING, "noanonymous", "postfix: smtp_sasl_tls_security_options",
                "SASL restrictions over TLS (PLAIN and LOGIN are allowed). Postfix's default copies smtp_sasl_security_options."),
            of("smtp_connect_timeout", DURATION, "30s", "postfix: smtp_connect_timeout",
                "Time limit for the TCP connection to a remote server."),
            of("smtp_helo_timeout", DURATION, "300s", "postfix: smtp_helo_timeout",
                "Time limit for the greeting, EHLO/HELO, STARTTLS and AUTH replies."),
            of("smtp_mail_timeout", DURATION, "300s", "postfix: smtp_mail_timeout", "Time limit for the MAIL FROM and RSET replies."),
            of("smtp_rcpt_timeout", DURATION, "300s", "postfix: smtp_rcpt_timeout", "Time limit for each RCPT TO reply."),
            of("smtp_data_init_timeout", DURATION, "120s", "postfix: smtp_data_init_timeout", "Time limit for the DATA reply."),
            of("smtp_data_done_timeout", DURATION, "600s", "postfix: smtp_data_done_timeout",
                "Time limit for the reply after the end of the message."),
            of("smtp_quit_timeout", DURATION, "300s", "postfix: smtp_quit_timeout", "Time limit for the QUIT reply."),
            of("smtp_connection_cache_time_limit", DURATION, "2s", "postfix: smtp_connection_cache_time_limit",
                "How long an idle outbound connection is kept for the next message to the same destination; 0 disables caching."),
            of("disable_mime_output_conversion", BOOLEAN, "no", "postfix: disable_mime_output_conversion",
                "With no (the default), a BODY=8BITMIME message with 8-bit octets in its body, sent to a server that does "
                    + "not offer 8BITMIME, has its 8-bit parts converted to quoted-printable (RFC 6152 3); 8-bit octets in "
                    + "headers cannot be converted and bounce the recipient (5.6.3). With yes, such a message bounces (5.6.3) "
                    + "instead of being converted (stricter than Postfix, which would send it as it is).")
        );
    }
}
