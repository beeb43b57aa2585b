package org.mailserver.smtp.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mailserver.smtp.policy.DnsChecker;

/** A {@link DnsChecker} with canned answers: known domains, temporarily failing ones, A records for DNSBL names. */
public final class FakeDns implements DnsChecker {
    public final Set<String> domains = ConcurrentHashMap.newKeySet();
    public final Set<String> failing = ConcurrentHashMap.newKeySet();
    public final Map<String, List<String>> a = new ConcurrentHashMap<>();

    @Override
    public Status domainResolves(String domain) {
        if (failing.contains(domain)) {
            return Status.TEMPORARY_FAILURE;
        }
        return domains.contains(domain) ? Status.FOUND : Status.NOT_FOUND;
    }

    @Override
    public Answer addresses(String name) {
        List<String> list = a.get(name);
        return list == null ? new Answer(Status.NOT_FOUND, List.of()) : new Answer(Status.FOUND, list);
    }
}
