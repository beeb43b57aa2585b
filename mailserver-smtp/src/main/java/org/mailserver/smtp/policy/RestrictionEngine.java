package org.mailserver.smtp.policy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.mailserver.core.address.AddressTables;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.address.MailAddress;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.lookup.LookupTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates Postfix restriction lists ({@code smtpd_*_restrictions}) with Postfix's words and reply texts.
 * A list is read left to right; the first restriction that PERMITs or refuses ends it; a list that runs
 * out permits. Runs on the blocking executor (tables, DNS, policy servers); holds no session state.
 */
public final class RestrictionEngine {
    private static final Logger log = LoggerFactory.getLogger(RestrictionEngine.class);

    /** Restrictions that take the next list element as their argument. */
    private static final Set<String> WITH_ARGUMENT = Set.of("check_client_access", "check_helo_access",
        "check_sender_access", "check_recipient_access", "reject_rbl_client", "check_policy_service");
    private static final Set<String> SIMPLE = Set.of("permit", "reject", "defer", "dunno", "warn_if_reject",
        "permit_mynetworks", "permit_sasl_authenticated", "reject_unauth_destination", "defer_unauth_destination",
        "permit_auth_destination", "reject_unlisted_recipient", "reject_non_fqdn_helo_hostname",
        "reject_invalid_helo_hostname", "reject_non_fqdn_sender", "reject_non_fqdn_recipient",
        "reject_unknown_sender_domain", "reject_unknown_recipient_domain", "reject_unauth_pipelining",
        "reject_sender_login_mismatch");

    private final Settings settings;
    private final LocalDomains domains;
    private final NetworkList mynetworks;
    private final DnsChecker dns;
    private final AuthService auth;
    private final LookupTable senderLoginMaps;
    private final Map<String, LookupTable> tables = new ConcurrentHashMap<>();

    public RestrictionEngine(Settings settings, LocalDomains domains, NetworkList mynetworks, DnsChecker dns, AuthService auth) {
        this.settings = settings;
        this.domains = domains;
        this.mynetworks = mynetworks;
        this.dns = dns;
        this.auth = auth;
        this.senderLoginMaps = AddressTables.open(settings.getList("smtpd_sender_login_maps"), settings.configDirectory());
    }

    public NetworkList mynetworks() {
        return mynetworks;
    }

    /** Throws ConfigException naming the parameter for an unknown word or a missing argument. */
    public static void validate(String parameter, List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).toLowerCase(Locale.ROOT);
            if (WITH_ARGUMENT.contains(w)) {
                if (++i >= words.size()) {
                    throw new ConfigException(parameter + ": " + w + " needs an argument");
                }
            } else if (!SIMPLE.contains(w)) {
                throw new ConfigException(parameter + ": unknown restriction \"" + words.get(i) + "\"");
            }
        }
    }

    /**
     * Evaluates one list.
     *
     * @param list     the parameter name of the list; it decides the wording of refusals, as in Postfix
     *                 ("Client host rejected" for smtpd_client_restrictions even when evaluated at RCPT)
     * @param unlisted the recipient validation reject_unlisted_recipient performs (the session supplies it)
     */
    public Verdict evaluate(String list, List<String> words, PolicyRequest req, InetAddress client,
                            Function<PolicyRequest, Verdict> unlisted) {
        boolean warnOnly = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).toLowerCase(Locale.ROOT);
            String arg = WITH_ARGUMENT.contains(w) && i + 1 < words.size() ? words.get(++i) : null;
            if (w.equals("warn_if_reject")) {
                warnOnly = true;
                continue;
            }
            Verdict v = one(list, w, arg, req, client, unlisted);
            if (warnOnly && v.refuses()) {
                log.warn("{}[{}]: reject_warning: {}: {}", req.clientName(), req.clientAddress(), req.protocolState(), v.reply().summary());
                v = Verdict.DUNNO;
            }
            warnOnly = false;
            if (v.kind() != Verdict.Kind.DUNNO) {
                return v;
            }
        }
        return Verdict.DUNNO;
    }

    private Verdict one(String list, String w, String arg, PolicyRequest r, InetAddress client,
                        Function<PolicyRequest, Verdict> unlisted) {
        String subject = subject(list, r);
        String what = what(list);
        switch (w) {
            case "permit":
                return Verdict.PERMIT;
            case "dunno":
                return Verdict.DUNNO;
            case "reject":
                return Verdict.reject(554, "5.7.1", subject + ": " + what + " rejected: Access denied");
            case "defer":
                return Verdict.reject(450, "4.7.1", subject + ": " + what + " rejected: Access denied");
            case "permit_mynetworks":
                return mynetworks.contains(client) ? Verdict.PERMIT : Verdict.DUNNO;
            case "permit_sasl_authenticated":
                return r.authenticated() ? Verdict.PERMIT : Verdict.DUNNO;
            case "reject_unauth_destination":
            case "defer_unauth_destination":
                if (r.recipient() == null || isLocal(r.recipient())) {
                    return Verdict.DUNNO;
                }
                // Postfix relay_domains_reject_code 554; refusals are permanent so a relay attempt is not retried.
                return w.startsWith("reject")
                    ? Verdict.reject(554, "5.7.1", "<" + r.recipient() + ">: Relay access denied")
                    : Verdict.reject(450, "4.7.1", "<" + r.recipient() + ">: Relay access denied");
            case "permit_auth_destination":
                return r.recipient() != null && isLocal(r.recipient()) ? Verdict.PERMIT : Verdict.DUNNO;
            case "reject_unlisted_recipient":
                return r.recipient() == null ? Verdict.DUNNO : unlisted.apply(r);
            case "reject_non_fqdn_helo_hostname":
                return r.helo() != null && !fqdnHost(r.helo())
                    ? Verdict.reject(504, "5.5.2", "<" + r.helo() + ">: Helo command rejected: need fully-qualified hostname")
                    : Verdict.DUNNO;
            case "reject_invalid_helo_hostname":
                return r.helo() != null && !validHelo(r.helo())
                    ? Verdict.reject(501, "5.5.2", "<" + r.helo() + ">: Helo command rejected: Invalid name")
                    : Verdict.DUNNO;
            case "reject_non_fqdn_sender":
                return nonFqdn(r.sender())
                    ? Verdict.reject(504, "5.5.2", "<" + r.sender() + ">: Sender address rejected: need fully-qualified address")
                    : Verdict.DUNNO;
            case "reject_non_fqdn_recipient":
                return nonFqdn(r.recipient())
                    ? Verdict.reject(504, "5.5.2", "<" + r.recipient() + ">: Recipient address rejected: need fully-qualified address")
                    : Verdict.DUNNO;
            case "reject_unknown_sender_domain":
                return unknownDomain(r.sender(), "Sender", "8");
            case "reject_unknown_recipient_domain":
                return unknownDomain(r.recipient(), "Recipient", "2");
            case "reject_unauth_pipelining":
                // Postfix: input arrived before the reply to a command where the client must wait for it.
                if (r.unexpectedInput() && (!r.pipelining() || "DATA".equals(r.protocolState()))) {
                    return Verdict.reject(554, "5.5.0", "Error: improper use of SMTP command pipelining");
                }
                return Verdict.DUNNO;
            case "reject_sender_login_mismatch":
                return senderLoginMismatch(r);
            case "check_client_access":
                return access(list, arg, AccessResult.clientKeys(r.clientName(), r.clientAddress()),
                    "<" + r.clientName() + "[" + r.clientAddress() + "]>", "Client host", r, client, unlisted);
            case "check_helo_access":
                return r.helo() == null ? Verdict.DUNNO
                    : access(list, arg, AccessResult.domainKeys(r.helo()), "<" + r.helo() + ">", "Helo command", r, client, unlisted);
            case "check_sender_access":
                return r.sender() == null ? Verdict.DUNNO
                    : access(list, arg, AccessResult.addressKeys(r.sender()), "<" + r.sender() + ">", "Sender address", r, client, unlisted);
            case "check_recipient_access":
                return r.recipient() == null ? Verdict.DUNNO
                    : access(list, arg, AccessResult.addressKeys(r.recipient()), "<" + r.recipient() + ">", "Recipient address", r, client, unlisted);
            case "reject_rbl_client":
                return rbl(arg, client);
            case "check_policy_service":
                return policy(list, arg, r, client, unlisted, subject, what);
            default:
                throw new ConfigException("unknown restriction \"" + w + "\"");
        }
    }

    private static String subject(String list, PolicyRequest r) {
        switch (list) {
            case "smtpd_relay_restrictions":
            case "smtpd_recipient_restrictions":
                return "<" + r.recipient() + ">";
            case "smtpd_sender_restrictions": return "<" + r.sender() + ">";
            case "smtpd_helo_restrictions": return "<" + r.helo() + ">";
            case "smtpd_data_restrictions": return "<DATA>";
            default: return "<" + r.clientName() + "[" + r.clientAddress() + "]>";
        }
    }

    private static String what(String list) {
        switch (list) {
            case "smtpd_relay_restrictions":
            case "smtpd_recipient_restrictions":
                return "Recipient address";
            case "smtpd_sender_restrictions": return "Sender address";
            case "smtpd_helo_restrictions": return "Helo command";
            case "smtpd_data_restrictions": return "Data command";
            default: return "Client host";
        }
    }

    private boolean isLocal(String address) {
        try {
            return domains.isLocal(MailAddress.parse(address));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean nonFqdn(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            return !MailAddress.parse(address).hasFqdn();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    static boolean fqdnHost(String helo) {
        if (helo.startsWith("[") && helo.endsWith("]")) {
            return true; // an address literal is acceptable (Postfix)
        }
        return validHelo(helo) && helo.indexOf('.') > 0 && !helo.endsWith(".");
    }

    static boolean validHelo(String helo) {
        if (helo.startsWith("[") && helo.endsWith("]")) {
            return helo.length() > 2;
        }
        if (helo.isEmpty() || helo.length() > 255 || helo.startsWith(".") || helo.contains("..")) {
            return false;
        }
        for (String label : helo.split("\\.")) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                || !label.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
                return false;
            }
        }
        return true;
    }

    private Verdict unknownDomain(String address, String who, String detail) {
        if (address == null || address.isEmpty()) {
            return Verdict.DUNNO;
        }
        MailAddress a;
        try {
            a = MailAddress.parse(address);
        } catch (IllegalArgumentException e) {
            return Verdict.DUNNO;
        }
        if (a.domain().isEmpty() || a.domain().startsWith("[") || domains.isLocal(a)) {
            return Verdict.DUNNO;
        }
        switch (dns.domainResolves(a.domainKey())) {
            case NOT_FOUND:
                return Verdict.reject(550, "5.1." + detail, "<" + address + ">: " + who + " address rejected: Domain not found");
            case TEMPORARY_FAILURE:
                return Verdict.reject(450, "4.1." + detail, "<" + address + ">: " + who + " address rejected: Domain not found");
            default:
                return Verdict.DUNNO;
        }
    }

    private Verdict senderLoginMismatch(PolicyRequest r) {
        if (r.sender() == null || r.sender().isEmpty()) {
            return Verdict.DUNNO;
        }
        String sender = r.sender();
        Optional<String> mapped = AddressTables.lookup(senderLoginMaps, sender);
        int at = sender.lastIndexOf('@');
        if (mapped.isEmpty() && at >= 0) {
            mapped = AddressTables.lookup(senderLoginMaps, sender.substring(at));
        }
        if (!r.authenticated()) {
            return mapped.isPresent()
                ? Verdict.reject(553, "5.7.1", "<" + sender + ">: Sender address rejected: not logged in")
                : Verdict.DUNNO;
        }
        String login = r.saslUser();
        boolean owns;
        if (mapped.isPresent()) {
            owns = org.mailserver.core.config.MapSettings.splitList(mapped.get()).stream().anyMatch(o -> o.equalsIgnoreCase(login));
        } else {
            // No map entry: the owner is the userdb user the address names (a user may send as itself).
            owns = sender.equalsIgnoreCase(login)
                || (auth != null && auth.lookupUser(sender).map(u -> u.user().equalsIgnoreCase(login)).orElse(false));
        }
        return owns ? Verdict.DUNNO
            : Verdict.reject(553, "5.7.1", "<" + sender + ">: Sender address rejected: not owned by user " + login);
    }

    private Verdict access(String list, String spec, List<String> keys, String subject, String what, PolicyRequest r,
                           InetAddress client, Function<PolicyRequest, Verdict> unlisted) {
        LookupTable table = tables.computeIfAbsent(spec, s -> AddressTables.open(List.of(s), settings.configDirectory()));
        for (String key : keys) {
            Optional<String> value = AddressTables.lookup(table, key);
            if (value.isPresent()) {
                return result(list, value.get(), subject, what, r, client, unlisted);
            }
        }
        return Verdict.DUNNO;
    }

    private Verdict result(String list, String value, String subject, String what, PolicyRequest r, InetAddress client,
                           Function<PolicyRequest, Verdict> unlisted) {
        Object o = AccessResult.interpret(value, subject, what);
        if (o instanceof Verdict v) {
            return v;
        }
        if (o instanceof AccessResult.Delegate d && SIMPLE.contains(d.restriction())) {
            return one(list, d.restriction(), null, r, client, unlisted);
        }
        log.warn("access result \"{}\" for {} is not supported; ignored", value, subject);
        return Verdict.DUNNO;
    }

    private Verdict rbl(String arg, InetAddress client) {
        String domain = arg;
        String filter = null;
        int eq = arg.indexOf('=');
        if (eq > 0) {
            domain = arg.substring(0, eq);
            filter = arg.substring(eq + 1);
        }
        String query = reverse(client) + "." + domain;
        DnsChecker.Answer answer = dns.addresses(query);
        if (answer.status() != DnsChecker.Status.FOUND) {
            return Verdict.DUNNO; // Postfix: a DNSBL that does not answer is skipped
        }
        if (filter != null && !answer.addresses().contains(filter)) {
            return Verdict.DUNNO;
        }
        return Verdict.reject(554, "5.7.1", "Service unavailable; Client host [" + client.getHostAddress()
            + "] blocked using " + domain);
    }

    static String reverse(InetAddress a) {
        byte[] b = a.getAddress();
        StringBuilder sb = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append(i > 0 ? "." : "");
            }
        } else {
            for (int i = b.length - 1; i >= 0; i--) {
                sb.append(Integer.toHexString(b[i] & 0xf)).append('.').append(Integer.toHexString((b[i] >> 4) & 0xf));
                if (i > 0) {
                    sb.append('.');
                }
            }
        }
        return sb.toString();
    }

    private Verdict policy(String list, String target, PolicyRequest r, InetAddress client, Function<PolicyRequest, Verdict> unlisted,
                           String subject, String what) {
        Duration timeout = settings.getDuration("smtpd_policy_service_timeout");
        String action;
        try {
            action = PolicyClient.query(target, PolicyClient.attributes(r), timeout);
        } catch (IOException | RuntimeException e) {
            log.warn("problem talking to policy server {}: {}", target, e.toString());
            action = settings.getString("smtpd_policy_service_default_action");
        }
        return result(list, action, subject, what, r, client, unlisted);
    }
}
