package org.mailserver.smtp.outbound.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The DNS side of DANE for SMTP (RFC 7672 2.2): whether the MX RRset and the MX host's address records are
 * DNSSEC-secure, and the TLSA RRset at {@code _25._tcp.<host>}. As Postfix with
 * {@code smtp_dns_support_level = dnssec}, DNSSEC validation is delegated to the configured resolver
 * ({@code dns_resolver}): an answer is secure only when that resolver sets the AD bit (RFC 4035 3.2.3), so
 * the resolver must be a trusted, local, validating one (unbound or knot-resolver on 127.0.0.1). Queries ask
 * for it with AD and DO set (RFC 6840 5.7). Alternatively ({@link #validating}, {@code smtp_dnssec_trust_anchor_file})
 * dnsjava's {@link ValidatingResolver} validates in-process from configured trust anchors, and its AD bit
 * is what counts. CNAME chains are not followed (a CNAME'd MX host gets no DANE).
 * Blocking: called on delivery worker threads.
 */
public final class TlsaLookup {

    /** What the DNS said about one MX host. */
    public enum Status {
        /** Secure TLSA RRset with at least one usable record: authenticate with DANE. */
        SECURE_USABLE,
        /** Secure TLSA RRset with only unusable records: TLS mandatory, no authentication (RFC 7672 2.2). */
        SECURE_UNUSABLE,
        /** No secure TLSA RRset (unsigned zone, insecure MX or address, or no TLSA records): opportunistic. */
        INSECURE,
        /** The lookup failed (SERVFAIL, timeout) where the answer would be secure: defer (RFC 7672 2.2). */
        FAILED
    }

    public record Result(Status status, List<TlsaRecord> records, String reason) {
    }

    private final Resolver resolver;

    public TlsaLookup(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * DNSSEC validated in-process: dnsjava's {@link ValidatingResolver} over {@code upstream}, trusting the
     * DS/DNSKEY records of {@code anchors} (master file format, e.g. the root's from unbound-anchor).
     */
    public static TlsaLookup validating(Resolver upstream, Path anchors) throws IOException {
        ValidatingResolver v = new ValidatingResolver(upstream);
        try (InputStream in = Files.newInputStream(anchors)) {
            v.loadTrustAnchors(in);
        }
        return new TlsaLookup(v);
    }

    /**
     * @param domain the next-hop domain whose MX RRset led to {@code host}, or null when the host was given
     *               directly (a {@code [host]} next hop or the implicit MX)
     */
    public Result lookup(String domain, String host, int port) {
        try {
            if (domain != null && !query(domain, Type.MX).secure()) {
                // RFC 7672 2.2.1: an insecure MX RRset gives no authenticated host names to check.
                return new Result(Status.INSECURE, List.of(), "MX records of " + domain + " are not DNSSEC-signed");
            }
            Answer addr = query(host, Type.A);
            if (addr.rcode == Rcode.NOERROR && addr.records.isEmpty()) {
                addr = query(host, Type.AAAA);
            }
            if (!addr.secure()) {
                // RFC 7672 2.2.2: TLSA records are looked up only for hosts with secure address records.
                return new Result(Status.INSECURE, List.of(), "address records of " + host + " are not DNSSEC-signed");
            }
            String tlsaName = "_" + port + "._tcp." + host;
            Answer tlsa = query(tlsaName, Type.TLSA);
            if (tlsa.rcode != Rcode.NOERROR && tlsa.rcode != Rcode.NXDOMAIN) {
                return new Result(Status.FAILED, List.of(), "TLSA lookup error for " + tlsaName + ": " + Rcode.string(tlsa.rcode));
            }
            if (!tlsa.secure() || tlsa.records.isEmpty()) {
                return new Result(Status.INSECURE, List.of(), tlsa.records.isEmpty() ? "no TLSA records for " + tlsaName
                    : "TLSA records of " + tlsaName + " are not DNSSEC-signed");
            }
            List<TlsaRecord> out = new ArrayList<>();
            for (Record r : tlsa.records) {
                TLSARecord t = (TLSARecord) r;
                out.add(new TlsaRecord(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), t.getCertificateAssociationData()));
            }
            boolean usable = out.stream().anyMatch(TlsaRecord::usable);
            return new Result(usable ? Status.SECURE_USABLE : Status.SECURE_UNUSABLE, out,
                usable ? "TLSA " + out : "all TLSA records of " + tlsaName + " are unusable");
        } catch (IOException e) {
            return new Result(Status.FAILED, List.of(), "DNSSEC lookup for " + host + " failed: " + e.getMessage());
        }
    }

    private record Answer(int rcode, boolean authenticated, List<Record> records) {
        boolean secure() {
            return authenticated && (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN);
        }
    }

    private Answer query(String name, int type) throws IOException {
        Name qname;
        try {
            String n = name.toLowerCase(Locale.ROOT);
            qname = Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (TextParseException e) {
            throw new IOException("bad name " + name);
        }
        Message q = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        q.getHeader().setFlag(Flags.AD);
        q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        Message r = resolver.send(q);
        List<Record> records = new ArrayList<>();
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec.getType() == type) {
                records.add(rec);
            }
        }
        return new Answer(r.getRcode(), r.getHeader().getFlag(Flags.AD), records);
    }
}
