package org.mailserver.smtp.policy;

import java.util.List;
import java.util.Locale;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

/**
 * Refuses, at start and for every listener's settings, a configuration under which anybody could relay:
 * relaying needs both smtpd_relay_restrictions and smtpd_recipient_restrictions to permit, so the server
 * is open when neither list ends an unauthenticated stranger's RCPT with a refusal. A list protects when
 * it reaches reject_unauth_destination, defer_unauth_destination, reject or defer before a plain permit
 * (or a permit_mynetworks with a mynetworks that covers everybody). Access tables and policy servers are
 * assumed not to permit everything. {@code smtpd_allow_open_relay = yes} lets an admin run it anyway.
 */
public final class OpenRelayCheck {

    private OpenRelayCheck() {
    }

    /** Throws a ConfigException describing the problem, unless forced. Also validates the lists. */
    public static void verify(Settings s, String where) {
        for (String p : List.of("smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions",
            "smtpd_relay_restrictions", "smtpd_recipient_restrictions", "smtpd_data_restrictions")) {
            RestrictionEngine.validate(p, s.getList(p));
        }
        if (s.getBoolean("smtpd_allow_open_relay")) {
            return;
        }
        boolean everybody = new NetworkList(s.getList("mynetworks")).coversEverybody();
        if (isOpen(s.getList("smtpd_relay_restrictions"), everybody) && isOpen(s.getList("smtpd_recipient_restrictions"), everybody)) {
            throw new ConfigException(where + ": this configuration makes an open relay: neither smtpd_relay_restrictions "
                + "nor smtpd_recipient_restrictions refuses unauthorised destinations (add reject_unauth_destination), "
                + (everybody ? "and mynetworks covers every address; " : "")
                + "set smtpd_allow_open_relay = yes to run it anyway");
        }
    }

    static boolean isOpen(List<String> words, boolean mynetworksEverybody) {
        for (String word : words) {
            String w = word.toLowerCase(Locale.ROOT);
            switch (w) {
                case "reject_unauth_destination":
                case "defer_unauth_destination":
                case "reject":
                case "defer":
                    return false;
                case "permit":
                    return true;
                case "permit_mynetworks":
                    if (mynetworksEverybody) {
                        return true;
                    }
                    break;
                default:
                    break;
            }
        }
        return true;
    }
}
