package org.mailserver.smtp.policy;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link DnsChecker} with dnsjava, asking the servers of {@code smtpd_dns_servers} (address or
 * address:port) or the system's resolvers. Its own cache honours TTLs.
 */
public final class DnsjavaChecker implements DnsChecker {
    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);

    public DnsjavaChecker(List<String> servers) {
        try {
            if (servers.isEmpty()) {
                resolver = new ExtendedResolver();
            } else {
                List<Resolver> list = new ArrayList<>();
                for (String s : servers) {
                    int colon = s.lastIndexOf(':');
                    boolean hasPort = colon > 0 && s.indexOf(':') == colon;
                    SimpleResolver r = new SimpleResolver(hasPort ? s.substring(0, colon) : s);
                    if (hasPort) {
                        r.setPort(Integer.parseInt(s.substring(colon + 1)));
                    }
                    list.add(r);
                }
                resolver = new ExtendedResolver(list);
            }
            resolver.setTimeout(Duration.ofSeconds(5));
        } catch (UnknownHostException e) {
            throw new org.mailserver.core.config.ConfigException("smtpd_dns_servers: " + e.getMessage());
        }
    }

    private int run(String name, int type, List<Record> out) {
        try {
            Lookup lookup = new Lookup(name.endsWith(".") ? name : name + ".", type);
            lookup.setResolver(resolver);
            lookup.setCache(cache);
            lookup.setSearchPath((org.xbill.DNS.Name[]) null);
            Record[] records = lookup.run();
            if (records != null) {
                out.addAll(List.of(records));
            }
            return lookup.getResult();
        } catch (TextParseException e) {
            return Lookup.HOST_NOT_FOUND;
        }
    }

    @Override
    public Status domainResolves(String domain) {
        boolean temporary = false;
        for (int type : new int[] {Type.MX, Type.A, Type.AAAA}) {
            int rc = run(domain, type, new ArrayList<>());
            if (rc == Lookup.SUCCESSFUL) {
                return Status.FOUND;
            }
            if (rc == Lookup.HOST_NOT_FOUND) {
                return Status.NOT_FOUND; // NXDOMAIN: no other type will exist either
            }
            if (rc == Lookup.TRY_AGAIN) {
                temporary = true;
            }
        }
        return temporary ? Status.TEMPORARY_FAILURE : Status.NOT_FOUND;
    }

    @Override
    public Answer addresses(String name) {
        List<Record> records = new ArrayList<>();
        int rc = run(name, Type.A, records);
        if (rc == Lookup.SUCCESSFUL) {
            List<String> addrs = new ArrayList<>();
            for (Record r : records) {
                if (r instanceof ARecord a) {
                    addrs.add(a.getAddress().getHostAddress());
                }
            }
            return new Answer(Status.FOUND, addrs);
        }
        return new Answer(rc == Lookup.TRY_AGAIN ? Status.TEMPORARY_FAILURE : Status.NOT_FOUND, List.of());
    }
}
