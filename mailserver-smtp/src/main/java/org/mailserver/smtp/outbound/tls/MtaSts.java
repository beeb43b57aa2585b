package org.mailserver.smtp.outbound.tls;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Policy discovery for MTA-STS (RFC 8461 3 and 5): the {@code _mta-sts.<domain>} TXT record, the cached
 * policy, and a fetch when there is no cached policy or the TXT id changed. Failures never block mail by
 * themselves: without a usable policy the caller stays opportunistic, and an unexpired cached policy keeps
 * applying when the TXT record or the fetch fails (RFC 8461 5.1). Called on delivery worker threads.
 */
public final class MtaSts {
    private static final Logger log = LoggerFactory.getLogger(MtaSts.class);

    private final Resolver resolver;
    private final MtaStsFetcher fetcher;
    private final MtaStsCache cache;
    private final Clock clock;

    public MtaSts(Resolver resolver, MtaStsFetcher fetcher, MtaStsCache cache, Clock clock) {
        this.resolver = resolver;
        this.fetcher = fetcher;
        this.cache = cache;
        this.clock = clock;
    }

    /** The policy in force for a domain, or null when there is none. */
    public MtaStsPolicy policyFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        MtaStsPolicy cached = cache.get(d);
        if (cached != null && cached.expired(clock.instant())) {
            cached = null;
        }
        String id;
        try {
            id = txtId(d);
        } catch (IOException e) {
            log.info("MTA-STS TXT lookup for {} failed ({}); {}", d, e.getMessage(), cached == null ? "no policy" : "using the cached policy");
            return usable(cached);
        }
        if (id == null || cached != null && cached.id().equals(id)) {
            return usable(cached);
        }
        try {
            MtaStsPolicy fresh = MtaStsPolicy.parse(fetcher.fetch(d), id, clock.instant());
            cache.put(d, fresh);
            log.info("MTA-STS policy for {} (id {}): mode {}, mx {}, max_age {}", d, id, fresh.mode(), fresh.mx(), fresh.maxAgeSeconds());
            return usable(fresh);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("MTA-STS policy fetch for {} failed: {}; {}", d, e.getMessage(), cached == null ? "no policy" : "using the cached policy");
            return usable(cached);
        }
    }

    private static MtaStsPolicy usable(MtaStsPolicy p) {
        return p == null || p.mode() == MtaStsPolicy.Mode.NONE ? null : p;
    }

    /** The id of the single STSv1 TXT record, or null when there is none or more than one (RFC 8461 3.1). */
    private String txtId(String domain) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("_mta-sts." + domain + "."), Type.TXT, DClass.IN));
        Message r = resolver.send(q);
        if (r.getRcode() == Rcode.NXDOMAIN) {
            return null;
        }
        if (r.getRcode() != Rcode.NOERROR) {
            throw new IOException(Rcode.string(r.getRcode()));
        }
        List<String> ids = new ArrayList<>();
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec instanceof TXTRecord txt) {
                String text = String.join("", txt.getStrings());
                if (text.startsWith("v=STSv1")) {
                    ids.add(MtaStsPolicy.txtId(text));
                }
            }
        }
        return ids.size() == 1 ? ids.get(0) : null;
    }
}
