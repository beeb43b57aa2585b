package org.mailserver.smtp.policy;

import java.util.List;

/**
 * The DNS questions the restrictions ask. Blocking; called on the blocking executor. The daemon may
 * register one in the services (tests register a fake); otherwise {@link DnsjavaChecker} is used.
 */
public interface DnsChecker {

    enum Status { FOUND, NOT_FOUND, TEMPORARY_FAILURE }

    /** Whether a mail domain exists for reject_unknown_*_domain: an MX, A or AAAA record. */
    Status domainResolves(String domain);

    /** The A records of a name (DNSBL queries); NOT_FOUND for NXDOMAIN or no A record. */
    Answer addresses(String name);

    record Answer(Status status, List<String> addresses) {
    }
}
