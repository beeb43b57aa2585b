package org.mailserver.smtp;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/**
 * Every parameter the SMTP server reads (the shared ones, myhostname, mydestination, message_size_limit,
 * mynetworks, the address maps, are declared in core). Names and meanings follow Postfix's smtpd(8);
 * where our default is stricter than Postfix's the doc says so.
 */
public final class SmtpParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("smtpd_banner", STRING, "$myhostname ESMTP", "postfix: smtpd_banner",
                "Text after 220 in the greeting. It must start with the host name (RFC 5321 4.3.1)."),
            of("smtpd_role", STRING, "", "",
                "How a listener behaves: mx, submission or submissions. Empty: from the master.cf service name "
                    + "(submission, submissions or smtps; anything else is mx). A role only supplies defaults for "
                    + "parameters that are not set explicitly; see docs/smtp.md."),
            of("smtpd_tls_security_level", STRING, "may", "postfix: smtpd_tls_security_level",
                "none: no STARTTLS; may: STARTTLS offered; encrypt: nothing but EHLO, STARTTLS, NOOP, RSET and QUIT "
                    + "before TLS (the submission role's default)."),
            of("smtpd_sasl_auth_enable", BOOLEAN, "no", "postfix: smtpd_sasl_auth_enable",
                "Offer AUTH (RFC 4954) through the auth service. Default yes for the submission roles."),
            of("smtpd_tls_auth_only", BOOLEAN, "yes", "postfix: smtpd_tls_auth_only",
                "Offer AUTH only after STARTTLS (or on an implicit-TLS listener). Postfix's default is no; ours is yes."),
            of("smtpd_recipient_limit", INTEGER, "1000", "postfix: smtpd_recipient_limit",
                "Most recipients accepted for one message; further RCPTs get 452 4.5.3 (RFC 5321 4.5.3.1.10)."),
            of("smtpd_hard_error_limit", INTEGER, "20", "postfix: smtpd_hard_error_limit",
                "Errors (4xx/5xx replies) after which the session is closed with 421."),
            of("smtpd_junk_command_limit", INTEGER, "100", "postfix: smtpd_junk_command_limit",
                "NOOP, RSET, VRFY, EXPN and HELP commands allowed per session before each further one counts as an error."),
            of("smtpd_timeout", DURATION, "300s", "postfix: smtpd_timeout",
                "How long to wait for the next command or piece of message content. The deadline is per record "
                    + "(as Postfix with smtpd_per_record_deadline=yes): bytes that do not complete a line do not extend it."),
            of("smtpd_first_command_deadline", DURATION, "60s", "postfix: smtpd_per_record_deadline (stress mode)",
                "The first complete command must arrive within this time of the greeting, so that a client dribbling "
                    + "bytes cannot hold a connection. Capped by smtpd_timeout."),
            of("disable_vrfy_command", BOOLEAN, "yes", "postfix: disable_vrfy_command",
                "Refuse VRFY with 502 5.5.1 (address harvesting). Postfix's default is no; ours is yes."),
            of("smtpd_helo_required", BOOLEAN, "yes", "postfix: smtpd_helo_required",
                "Require HELO/EHLO before MAIL (RFC 5321 4.1.4). Postfix's default is no."),
            of("smtpd_delay_reject", BOOLEAN, "yes", "postfix: smtpd_delay_reject",
                "Evaluate client, HELO and sender restrictions at RCPT time, after the recipient is known."),
            of("smtpd_client_restrictions", LIST, "", "postfix: smtpd_client_restrictions",
                "Restrictions on the client's address and name."),
            of("smtpd_helo_restrictions", LIST, "", "postfix: smtpd_helo_restrictions",
                "Restrictions on the HELO/EHLO argument."),
            of("smtpd_sender_restrictions", LIST, "", "postfix: smtpd_sender_restrictions",
                "Restrictions on the MAIL FROM address. The submission roles default to reject_sender_login_mismatch."),
            of("smtpd_relay_restrictions", LIST, "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination",
                "postfix: smtpd_relay_restrictions",
                "Mail relay control at RCPT, evaluated before smtpd_recipient_restrictions."),
            of("smtpd_recipient_restrictions", LIST, "", "postfix: smtpd_recipient_restrictions",
                "Restrictions on the RCPT TO address (spam control)."),
            of("smtpd_data_restrictions", LIST, "", "postfix: smtpd_data_restrictions",
                "Restrictions at the DATA command (and the first BDAT): reject_unauth_pipelining, check_policy_service..."),
            of("smtpd_allow_open_relay", BOOLEAN, "no", "",
                "A configuration under which anyone could relay (no reject_unauth_destination, defer_unauth_destination, "
                    + "reject or defer in the relay/recipient restrictions, or permit before it, or mynetworks covering "
                    + "everybody) is refused at start. Set yes to run it anyway."),
            of("smtpd_reject_unlisted_recipient", BOOLEAN, "yes", "postfix: smtpd_reject_unlisted_recipient",
                "Refuse at RCPT (550 5.1.1) recipients in local domains that are neither aliases nor userdb users."),
            of("smtpd_sender_login_maps", LOOKUP, "", "postfix: smtpd_sender_login_maps",
                "Which SASL logins own which sender addresses (key: address or @domain; value: logins). "
                    + "Without an entry the owner is the userdb user the address names."),
            of("smtpd_tls_received_header", BOOLEAN, "yes", "postfix: smtpd_tls_received_header",
                "Record the TLS version and cipher in the Received: header. Postfix's default is no."),
            of("smtpd_sasl_authenticated_header", BOOLEAN, "no", "postfix: smtpd_sasl_authenticated_header",
                "Record the SASL login in the Received: header."),
            of("smtpd_forbid_bare_newline", STRING, "reject", "postfix: smtpd_forbid_bare_newline",
                "reject: a bare LF or CR in a command or message gets 550 5.5.2 and the connection is closed; normalize "
                    + "(or yes): a bare LF is read as CRLF. In both, DATA ends only at <CR><LF>.<CR><LF>. "
                    + "Postfix's no is not offered (it enables SMTP smuggling)."),
            of("line_length_limit", INTEGER, "2048", "postfix: line_length_limit",
                "Longest SMTP command line; a longer one gets 500 5.5.2. Message lines are not limited."),
            of("header_size_limit", SIZE, "102400", "postfix: header_size_limit",
                "Largest message header section; a larger one gets 552 5.3.4. (Postfix truncates one header instead.)"),
            of("smtpd_header_count_limit", INTEGER, "1000", "",
                "Most header fields in a message; more get 552 5.3.4."),
            of("hopcount_limit", INTEGER, "50", "postfix: hopcount_limit",
                "Most Received: headers; more get 554 5.4.6 (a mail loop, RFC 5321 6.3)."),
            of("smtpd_discard_ehlo_keywords", LIST, "", "postfix: smtpd_discard_ehlo_keywords",
                "EHLO keywords not to advertise (and then not to accept), e.g. chunking, dsn, smtputf8, pipelining."),
            of("smtpd_peername_lookup", BOOLEAN, "yes", "postfix: smtpd_peername_lookup",
                "Look up the client's name (reverse DNS, forward-confirmed; each address's answer is kept 30 s, a failure 10 s); 'unknown' otherwise."),
            of("smtpd_policy_service_timeout", DURATION, "100s", "postfix: smtpd_policy_service_timeout",
                "How long to wait for a check_policy_service server."),
            of("smtpd_policy_service_default_action", STRING, "451 4.3.5 Server configuration problem",
                "postfix: smtpd_policy_service_default_action",
                "The result used when a policy server cannot be reached or answers nonsense."),
            of("smtpd_dns_servers", LIST, "", "",
                "DNS servers (address or address:port) for reject_unknown_*_domain and reject_rbl_client. "
                    + "Empty: the system resolvers."),
            of("smtpd_add_missing_headers", BOOLEAN, "yes", "postfix: always_add_missing_headers (roughly)",
                "Add Message-ID: and Date: to messages from SASL-authenticated clients that lack them.")
        );
    }
}
