package org.mailserver.smtp.outbound.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.mailserver.core.config.Settings;
import org.mailserver.smtp.outbound.DnsResolver;
import org.mailserver.smtp.outbound.TlsPolicy;
import org.mailserver.smtp.outbound.TlsPolicy.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the configured TLS level of a destination into the policy for each MX host, for the two levels
 * that depend on DNS: {@code dane} (RFC 7672) and MTA-STS (RFC 8461, when {@code smtp_mta_sts_enable}).
 * Called by {@link org.mailserver.smtp.outbound.SmtpDeliveryAgent} once per delivery ({@link #plan}) and
 * once per MX host ({@link Plan#forHost}); other levels pass through untouched, without DNS queries.
 * <ul>
 * <li>dane, secure usable TLSA: TLS required, certificate checked against TLSA ({@link DaneTrustManager}),
 * logged "Verified"; a mismatch defers with 4.7.5.
 * <li>dane, secure but only unusable TLSA: TLS required without authentication (RFC 7672 2.2, "encrypt").
 * <li>dane, TLSA lookup failure: this host is skipped with 4.7.5 (RFC 7672 2.2: defer, never downgrade).
 * <li>dane-only (Postfix's mandatory DANE): as dane, but a host without usable secure TLSA is skipped (4.7.5).
 * <li>otherwise (no DANE), an MTA-STS policy of the recipient domain in enforce mode: only MX hosts
 * matching its patterns, TLS with a PKIX-valid certificate for the MX name ("verify"), else defer;
 * testing mode logs a mismatch and delivers opportunistically. DANE wins where both apply (RFC 8461 2).
 * <li>MTA-STS applies to the levels {@code may} and {@code dane} of MX-routed next hops only; an explicit
 * none/encrypt/verify/secure from the configuration stays as it is.
 * </ul>
 */
public final class DestinationTls {
    private static final Logger log = LoggerFactory.getLogger(DestinationTls.class);
    /** DANE for MX hosts is always port 25 (RFC 7672 2.2.3), whatever port tests connect to. */
    private static final int MX_PORT = 25;

    private final TlsaLookup tlsa;
    /** Null when MTA-STS is disabled. */
    private final MtaSts mtaSts;

    public DestinationTls(TlsaLookup tlsa, MtaSts mtaSts) {
        this.tlsa = tlsa;
        this.mtaSts = mtaSts;
    }

    /** From the settings: MTA-STS per {@code smtp_mta_sts_enable}, its cache under {@code data_directory}. */
    public static DestinationTls create(Settings s, DnsResolver dns) throws Exception {
        MtaSts sts = null;
        if (s.getBoolean("smtp_mta_sts_enable")) {
            String ca = s.getString("smtp_tls_CAfile");
            Path caFile = ca.isBlank() ? null : (Path.of(ca).isAbsolute() ? Path.of(ca) : s.configDirectory().resolve(ca));
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {TlsPolicy.trustManager(caFile)}, null);
            String data = s.getString("data_directory");
            Path dir = data.isBlank() ? null : s.getPath("data_directory").resolve("mta-sts");
            MtaStsFetcher fetcher = new MtaStsFetcher(ssl, host -> dns.addresses(host, true), 443,
                s.getDuration("smtp_mta_sts_fetch_timeout"));
            sts = new MtaSts(dns.resolver(), fetcher, new MtaStsCache(dir), Clock.systemUTC());
        }
        String anchors = s.getString("smtp_dnssec_trust_anchor_file");
        TlsaLookup tlsa = anchors.isBlank() ? new TlsaLookup(dns.resolver())
            : TlsaLookup.validating(dns.resolver(), s.getPath("smtp_dnssec_trust_anchor_file"));
        return new DestinationTls(tlsa, sts);
    }

    /** The decision for one MX host: a policy to connect with, or a reason not to use this host. */
    public record Decision(TlsPolicy policy, String dsn, String refusal) {
        static Decision use(TlsPolicy p) {
            return new Decision(p, null, null);
        }

        static Decision refuse(String reason) {
            return new Decision(null, "4.7.5", reason);
        }
    }

    /**
     * @param domain the next hop's domain (the recipient domain or the transport's nexthop host)
     * @param viaMx  whether the hosts come from an MX lookup of {@code domain}
     * @param port   the port connected to when the host was given directly ({@code [host]:port})
     */
    public Plan plan(String queueId, String domain, boolean viaMx, int port, TlsPolicy base) {
        boolean dane = base.level() == Level.DANE || base.level() == Level.DANE_ONLY;
        MtaStsPolicy sts = null;
        if (mtaSts != null && viaMx && (base.level() == Level.DANE || base.level() == Level.MAY)) {
            sts = mtaSts.policyFor(domain);
        }
        return new Plan(queueId, domain, viaMx, viaMx ? MX_PORT : port, base, dane, sts);
    }

    public final class Plan {
        private final String queueId;
        private final String domain;
        private final boolean viaMx;
        private final int port;
        private final TlsPolicy base;
        private final boolean dane;
        private final MtaStsPolicy sts;

        private Plan(String queueId, String domain, boolean viaMx, int port, TlsPolicy base, boolean dane, MtaStsPolicy sts) {
            this.queueId = queueId;
            this.domain = domain;
            this.viaMx = viaMx;
            this.port = port;
            this.base = base;
            this.dane = dane;
            this.sts = sts;
        }

        public Decision forHost(String host) {
            if (dane) {
                TlsaLookup.Result r = tlsa.lookup(viaMx ? domain : null, host, port);
                switch (r.status()) {
                    case SECURE_USABLE -> {
                        log.info("{}: DANE for {}: {}", queueId, host, r.reason());
                        return Decision.use(new TlsPolicy(Level.VERIFY, new DaneTrustManager(r.records(), List.of(host, domain))));
                    }
                    case SECURE_UNUSABLE -> {
                        if (base.level() == Level.DANE_ONLY) {
                            return Decision.refuse("dane-only: " + r.reason());
                        }
                        log.info("{}: {}; TLS required without authentication", queueId, r.reason());
                        return Decision.use(base.withLevel(Level.ENCRYPT));
                    }
                    case FAILED -> {
                        return Decision.refuse(r.reason() + " (DANE: not delivering without the TLSA answer)");
                    }
                    case INSECURE -> log.debug("{}: no DANE for {}: {}", queueId, host, r.reason());
                }
                if (base.level() == Level.DANE_ONLY) {
                    // Postfix dane-only: without usable secure TLSA records this host is not used.
                    return Decision.refuse("dane-only: " + r.reason());
                }
            }
            if (sts != null) {
                boolean matches = sts.matchesMx(host);
                if (sts.mode() == MtaStsPolicy.Mode.ENFORCE) {
                    if (!matches) {
                        return Decision.refuse("MX host " + host + " does not match the MTA-STS policy of " + domain
                            + " (mx " + sts.mx() + ")");
                    }
                    // RFC 8461 4.2: PKIX-valid certificate for the MX host name; TlsPolicy checks the name.
                    return Decision.use(base.withLevel(Level.VERIFY));
                }
                if (!matches) {
                    log.warn("{}: MTA-STS testing: MX host {} does not match the policy of {} (mx {}); delivering anyway",
                        queueId, host, domain, sts.mx());
                }
            }
            return Decision.use(dane ? base.withLevel(Level.MAY) : base);
        }
    }
}
