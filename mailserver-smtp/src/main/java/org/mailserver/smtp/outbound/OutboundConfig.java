package org.mailserver.smtp.outbound;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailserver.core.config.Settings;
import org.mailserver.core.lookup.LookupException;
import org.mailserver.core.lookup.LookupTable;
import org.mailserver.core.lookup.LookupTables;

/** The outbound client's settings, read once per configuration (see {@link OutboundParameters}). */
record OutboundConfig(String heloName, String myHostname, int smtpPort, int lmtpPort, boolean ipv6First, int addressLimit,
                      TlsPolicy tls, LookupTable tlsPolicies, boolean wrapperMode, boolean saslEnabled,
                      LookupTable saslPasswords, boolean plaintextAuthWithoutTls, SmtpClientSession.Timeouts timeouts,
                      java.time.Duration cacheTime, boolean mimeOutputConversion) {

    static OutboundConfig from(Settings s) throws Exception {
        String ca = s.getString("smtp_tls_CAfile");
        Path caFile = ca.isBlank() ? null : (Path.of(ca).isAbsolute() ? Path.of(ca) : s.configDirectory().resolve(ca));
        TlsPolicy tls = new TlsPolicy(TlsPolicy.Level.parse(s.getString("smtp_tls_security_level")), TlsPolicy.trustManager(caFile));
        List<String> saslOptions = s.getList("smtp_sasl_security_options");
        String host = s.getString("myhostname");
        String helo = s.getString("smtp_helo_name");
        return new OutboundConfig(helo.isBlank() ? (host.isBlank() ? "localhost" : host) : helo, host,
            s.getInt("smtp_tcp_port"), s.getInt("lmtp_tcp_port"),
            !"ipv4".equalsIgnoreCase(s.getString("smtp_address_preference")), s.getInt("smtp_mx_address_limit"),
            tls, LookupTables.forParameter("smtp_tls_policy_maps", s.getString("smtp_tls_policy_maps"), s.configDirectory()),
            s.getBoolean("smtp_tls_wrappermode"), s.getBoolean("smtp_sasl_auth_enable"),
            LookupTables.forParameter("smtp_sasl_password_maps", s.getString("smtp_sasl_password_maps"), s.configDirectory()),
            !saslOptions.contains("noplaintext"),
            new SmtpClientSession.Timeouts(s.getDuration("smtp_connect_timeout"), s.getDuration("smtp_helo_timeout"),
                s.getDuration("smtp_mail_timeout"), s.getDuration("smtp_rcpt_timeout"), s.getDuration("smtp_data_init_timeout"),
                s.getDuration("smtp_data_done_timeout"), s.getDuration("smtp_quit_timeout")),
            s.getDuration("smtp_connection_cache_time_limit"), !s.getBoolean("disable_mime_output_conversion"));
    }

    /** smtp_tls_policy_maps: by the next hop as written, then by its bare host/domain. */
    TlsPolicy tlsFor(String nexthop, Nexthop parsed) throws LookupException {
        Optional<String> level = tlsPolicies.lookup(nexthop);
        if (level.isEmpty()) {
            level = tlsPolicies.lookup(parsed.host());
        }
        return level.map(l -> tls.withLevel(TlsPolicy.Level.parse(l.split("\\s+")[0]))).orElse(tls);
    }

    /** smtp_sasl_password_maps: [host]:port, [host], host:port, host, as Postfix tries them. */
    String[] credentialsFor(String nexthop, Nexthop parsed) throws LookupException {
        if (!saslEnabled) {
            return null;
        }
        String h = parsed.host().toLowerCase(Locale.ROOT);
        for (String key : List.of(nexthop, "[" + h + "]:" + parsed.port(), "[" + h + "]", h + ":" + parsed.port(), h)) {
            Optional<String> v = saslPasswords.lookup(key);
            if (v.isPresent()) {
                int colon = v.get().indexOf(':');
                return colon < 0 ? new String[] {v.get(), ""} : new String[] {v.get().substring(0, colon), v.get().substring(colon + 1)};
            }
        }
        return null;
    }
}
