package org.mailserver.smtp.session;

import java.util.Locale;
import java.util.Map;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

/**
 * The three faces of the SMTP server, as a stock Postfix master.cf sets them up with {@code -o} lines.
 * A role supplies defaults for parameters that are not set explicitly; explicit settings always win.
 */
public enum SmtpRole {
    /** Port 25: mail for our domains from anyone; AUTH only when configured. */
    MX(Map.of()),
    /** Port 587 (RFC 6409): STARTTLS then AUTH required; authenticated users relay as themselves. */
    SUBMISSION(Map.of(
        "smtpd_tls_security_level", "encrypt",
        "smtpd_sasl_auth_enable", "yes",
        "smtpd_client_restrictions", "permit_sasl_authenticated, reject",
        "smtpd_sender_restrictions", "reject_sender_login_mismatch",
        "smtpd_relay_restrictions", "permit_sasl_authenticated, reject")),
    /** Port 465 (RFC 8314): implicit TLS, AUTH required. */
    SUBMISSIONS(Map.of(
        "smtpd_sasl_auth_enable", "yes",
        "smtpd_client_restrictions", "permit_sasl_authenticated, reject",
        "smtpd_sender_restrictions", "reject_sender_login_mismatch",
        "smtpd_relay_restrictions", "permit_sasl_authenticated, reject"));

    private final Map<String, String> defaults;

    SmtpRole(Map<String, String> defaults) {
        this.defaults = defaults;
    }

    /** The role named by {@code smtpd_role}, or guessed from the master.cf service name. */
    public static SmtpRole of(Settings settings, String serviceName) {
        String explicit = settings.getString("smtpd_role").trim().toLowerCase(Locale.ROOT);
        String name = explicit.isEmpty() ? (serviceName == null ? "" : serviceName.toLowerCase(Locale.ROOT)) : explicit;
        switch (name) {
            case "submission":
                return SUBMISSION;
            case "submissions":
            case "smtps":
                return SUBMISSIONS;
            case "mx":
            case "smtp":
                return MX;
            default:
                if (!explicit.isEmpty()) {
                    throw new ConfigException("smtpd_role: expected mx, submission or submissions: \"" + explicit + "\"");
                }
                // RFC 8314: implicit TLS on an SMTP listener is message submission.
                return settings.get("smtpd_tls_wrappermode") != null && settings.getBoolean("smtpd_tls_wrappermode")
                    ? SUBMISSIONS : MX;
        }
    }

    /** The settings with this role's defaults under every parameter not set explicitly. */
    public Settings apply(Settings settings) {
        Map<String, String> overrides = new java.util.HashMap<>();
        defaults.forEach((k, v) -> {
            if (!settings.isExplicit(k)) {
                overrides.put(k, v);
            }
        });
        return overrides.isEmpty() ? settings : settings.withOverrides(overrides);
    }
}
