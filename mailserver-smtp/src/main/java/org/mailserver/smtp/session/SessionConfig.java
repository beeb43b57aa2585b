package org.mailserver.smtp.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.smtp.codec.NewlinePolicy;

/**
 * The parameters one session reads, taken once from the listener's settings (with its role's
 * defaults applied) when the connection is accepted: a reload affects new connections only.
 */
public record SessionConfig(
    Settings settings,
    SmtpRole role,
    String hostname,
    String banner,
    TlsLevel tlsLevel,
    boolean saslEnabled,
    boolean tlsAuthOnly,
    long messageSizeLimit,
    int recipientLimit,
    int hardErrorLimit,
    int junkCommandLimit,
    Duration timeout,
    Duration firstCommandDeadline,
    boolean disableVrfy,
    boolean heloRequired,
    boolean delayReject,
    boolean tlsReceivedHeader,
    boolean saslReceivedHeader,
    boolean addMissingHeaders,
    NewlinePolicy newlines,
    int lineLengthLimit,
    long headerSizeLimit,
    int headerCountLimit,
    int hopcountLimit,
    boolean rejectUnlistedRecipient,
    boolean peernameLookup,
    Set<String> discardedKeywords) {

    /** smtpd_tls_security_level. */
    public enum TlsLevel { NONE, MAY, ENCRYPT }

    public static SessionConfig from(Settings listenerSettings, String serviceName) {
        SmtpRole role = SmtpRole.of(listenerSettings, serviceName);
        Settings s = role.apply(listenerSettings);
        String hostname = s.getString("myhostname").trim();
        if (hostname.isEmpty()) {
            hostname = localHostName();
        }
        TlsLevel level;
        switch (s.getString("smtpd_tls_security_level").trim().toLowerCase(Locale.ROOT)) {
            case "none": case "": level = TlsLevel.NONE; break;
            case "may": level = TlsLevel.MAY; break;
            case "encrypt": level = TlsLevel.ENCRYPT; break;
            default: throw new ConfigException("smtpd_tls_security_level: expected none, may or encrypt: \""
                + s.getString("smtpd_tls_security_level") + "\"");
        }
        String banner = s.getString("smtpd_banner").trim();
        if (banner.isEmpty()) {
            banner = hostname + " ESMTP";
        }
        Duration timeout = s.getDuration("smtpd_timeout");
        Duration first = s.getDuration("smtpd_first_command_deadline");
        return new SessionConfig(s, role, hostname, banner, level,
            s.getBoolean("smtpd_sasl_auth_enable"), s.getBoolean("smtpd_tls_auth_only"),
            s.getSize("message_size_limit"), s.getInt("smtpd_recipient_limit"), s.getInt("smtpd_hard_error_limit"),
            s.getInt("smtpd_junk_command_limit"),
            timeout, first.compareTo(timeout) < 0 ? first : timeout,
            s.getBoolean("disable_vrfy_command"), s.getBoolean("smtpd_helo_required"), s.getBoolean("smtpd_delay_reject"),
            s.getBoolean("smtpd_tls_received_header"), s.getBoolean("smtpd_sasl_authenticated_header"),
            s.getBoolean("smtpd_add_missing_headers"),
            NewlinePolicy.parse(s.getString("smtpd_forbid_bare_newline")), s.getInt("line_length_limit"),
            s.getSize("header_size_limit"), s.getInt("smtpd_header_count_limit"), s.getInt("hopcount_limit"),
            s.getBoolean("smtpd_reject_unlisted_recipient"), s.getBoolean("smtpd_peername_lookup"),
            s.getList("smtpd_discard_ehlo_keywords").stream().map(k -> k.toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet()));
    }

    public List<String> restrictions(String name) {
        return settings.getList(name);
    }

    /** False when smtpd_discard_ehlo_keywords removes this extension. */
    public boolean offers(String keyword) {
        return !discardedKeywords.contains(keyword.toUpperCase(Locale.ROOT));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
