package org.mailserver.smtp.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS for outbound routing, with dnsjava: MX lists (RFC 5321 5.1: lowest preference first, random order
 * among equal preferences, the implicit MX when there is none, RFC 7505 null MX) and AAAA/A addresses.
 * Queries go straight to the configured resolver ({@code dns_resolver}: {@code host} or {@code host:port},
 * {@code [v6]:port}) or the system's, with no search list and no cache, so a test's own DNS server is
 * authoritative. Blocking: called from delivery worker threads only.
 */
public final class DnsResolver {

    /** A DNS failure class: a name that does not exist is permanent; everything else is temporary. */
    public static final class DnsException extends IOException {
        final boolean permanent;

        DnsException(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }

    /**
     * The MX answer for a domain.
     *
     * @param hosts   exchange host names in the order to try
     * @param nullMx  RFC 7505: the domain accepts no mail
     * @param implicit no MX records: the domain itself is the host (RFC 5321 5.1)
     */
    public record MxList(List<String> hosts, boolean nullMx, boolean implicit) {
    }

    private final Resolver resolver;

    public DnsResolver(Resolver resolver) {
        this.resolver = resolver;
    }

    /** From the {@code dns_resolver} parameter; empty means the system resolvers. */
    public static DnsResolver create(String address, Duration timeout) throws UnknownHostException {
        Resolver r;
        if (address == null || address.isBlank()) {
            r = new ExtendedResolver();
        } else {
            String a = address.trim();
            String host = a;
            int port = 53;
            if (a.startsWith("[")) {
                int close = a.indexOf(']');
                host = a.substring(1, close);
                if (a.length() > close + 2 && a.charAt(close + 1) == ':') {
                    port = Integer.parseInt(a.substring(close + 2));
                }
            } else if (a.indexOf(':') > 0 && a.indexOf(':') == a.lastIndexOf(':')) {
                host = a.substring(0, a.indexOf(':'));
                port = Integer.parseInt(a.substring(a.indexOf(':') + 1));
            }
            r = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host), port));
        }
        r.setTimeout(timeout);
        return new DnsResolver(r);
    }

    /** The underlying resolver, for the DANE and MTA-STS lookups of {@code outbound.tls}. */
    public Resolver resolver() {
        return resolver;
    }

    public MxList mx(String domain) throws DnsException {
        List<Record> answers = query(domain, Type.MX);
        if (answers == null) {
            return new MxList(List.of(domain), false, true);
        }
        Map<Integer, List<String>> byPreference = new TreeMap<>();
        for (Record rec : answers) {
            if (rec instanceof MXRecord mx) {
                String target = mx.getTarget().toString(true);
                // RFC 7505 3: a single MX with preference 0 and target "." means no mail service.
                if (target.isEmpty() || ".".equals(mx.getTarget().toString())) {
                    if (answers.size() == 1) {
                        return new MxList(List.of(), true, false);
                    }
                    continue;
                }
                byPreference.computeIfAbsent(mx.getPriority(), k -> new ArrayList<>()).add(target);
            }
        }
        if (byPreference.isEmpty()) {
            return new MxList(List.of(domain), false, true);
        }
        List<String> hosts = new ArrayList<>();
        for (List<String> same : byPreference.values()) {
            Collections.shuffle(same, ThreadLocalRandom.current());
            hosts.addAll(same);
        }
        return new MxList(hosts, false, false);
    }

    /** AAAA then A addresses (when {@code ipv6First}), or A then AAAA. */
    public List<InetAddress> addresses(String host, boolean ipv6First) throws DnsException {
        List<InetAddress> out = new ArrayList<>();
        DnsException first = null;
        for (int type : ipv6First ? new int[] {Type.AAAA, Type.A} : new int[] {Type.A, Type.AAAA}) {
            try {
                List<Record> rs = query(host, type);
                if (rs != null) {
                    for (Record r : rs) {
                        if (r instanceof ARecord a) {
                            out.add(a.getAddress());
                        } else if (r instanceof AAAARecord aaaa) {
                            out.add(aaaa.getAddress());
                        }
                    }
                }
            } catch (DnsException e) {
                first = first == null ? e : first;
            }
        }
        if (out.isEmpty() && first != null) {
            throw first;
        }
        if (out.isEmpty()) {
            throw new DnsException("Host not found: " + host, true);
        }
        return out;
    }

    /** The records of one type; null when the name exists without them (NODATA). */
    private List<Record> query(String name, int type) throws DnsException {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new DnsException("bad domain name: " + name, true);
        }
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(qname, type, DClass.IN)));
        } catch (IOException e) {
            throw new DnsException("DNS lookup of " + name + "/" + Type.string(type) + " failed: " + e.getMessage(), false);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            throw new DnsException("Host or domain name not found. Name service error for name=" + name
                + " type=" + Type.string(type) + ": Host not found", true);
        }
        if (rcode != Rcode.NOERROR) {
            throw new DnsException("Host or domain name not found. Name service error for name=" + name
                + " type=" + Type.string(type) + ": " + Rcode.string(rcode) + " (try again)", false);
        }
        List<Record> out = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                out.add(r);
            }
        }
        return out.isEmpty() ? null : out;
    }
}
