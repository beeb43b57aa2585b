package org.mailserver.smtp.outbound.tls;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.BOOLEAN;
import static org.mailserver.core.config.ParameterDefinition.ParameterType.DURATION;
import static org.mailserver.core.config.ParameterDefinition.ParameterType.STRING;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** Parameters of DANE and MTA-STS for outbound SMTP (see {@link DestinationTls}). */
public final class OutboundTlsParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("smtp_mta_sts_enable", BOOLEAN, "no", "postfix: none (postfix-mta-sts-resolver as smtp_tls_policy_maps)",
                "Apply MTA-STS policies (RFC 8461) of recipient domains to MX deliveries at the levels may and dane: "
                    + "the _mta-sts TXT record is looked up, the policy fetched from https://mta-sts.<domain>/.well-known/"
                    + "mta-sts.txt (trusting smtp_tls_CAfile or the JDK's store) and cached in memory and under "
                    + "data_directory/mta-sts. In enforce mode only matching MX hosts with a verified certificate are used, "
                    + "else mail is deferred; testing mode only logs. DANE takes precedence where it applies."),
            of("smtp_dnssec_trust_anchor_file", STRING, "", "postfix: none (validation is left to the resolver)",
                "For dane: validate DNSSEC inside mailserver (dnsjava's ValidatingResolver) from the trust anchors in "
                    + "this file (DS or DNSKEY records in master file format, e.g. the root anchor written by unbound-anchor). "
                    + "Empty (the default) trusts the AD bit of dns_resolver, which must then be a local validating resolver."),
            of("smtp_mta_sts_fetch_timeout", DURATION, "10s", "postfix: none",
                "Time limit for fetching one MTA-STS policy over HTTPS (connect, handshake and body).")
        );
    }
}
