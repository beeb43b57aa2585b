package org.mailserver.smtp.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Interprets what an access table or a policy server answered (Postfix access(5)): OK/PERMIT/all digits,
 * REJECT [text], DEFER [text], DUNNO, {@code 4NN}/{@code 5NN} [x.y.z] text, or the name of a restriction
 * to apply. Actions that change the message (HOLD, DISCARD, PREPEND, REDIRECT, FILTER, BCC) are not
 * supported yet and are logged and ignored, which is DUNNO.
 */
final class AccessResult {
    private static final Pattern CODE = Pattern.compile("^([45]\\d\\d)(?:\\s+([45]\\.\\d{1,3}\\.\\d{1,3}))?\\s*(.*)$");

    /** A restriction named as the result; the engine evaluates it. */
    record Delegate(String restriction) {
    }

    private AccessResult() {
    }

    /**
     * @param value   the table value
     * @param subject what was looked up, shown in angle brackets ({@code <a@b>}, {@code <host[ip]>})
     * @param what    {@code Sender address}, {@code Client host}, ...
     * @return a Verdict, or a Delegate to evaluate, or null for an unsupported action (DUNNO)
     */
    static Object interpret(String value, String subject, String what) {
        String v = value.trim();
        if (v.isEmpty()) {
            return Verdict.DUNNO;
        }
        String first = v.split("\\s+", 2)[0];
        String rest = v.length() > first.length() ? v.substring(first.length()).trim() : "";
        String upper = first.toUpperCase(Locale.ROOT);
        if (upper.equals("OK") || upper.equals("PERMIT") || first.chars().allMatch(Character::isDigit) && first.length() != 3) {
            return Verdict.PERMIT;
        }
        switch (upper) {
            case "DUNNO":
                return Verdict.DUNNO;
            case "REJECT":
                return Verdict.reject(554, "5.7.1", subject + ": " + what + " rejected: " + (rest.isEmpty() ? "Access denied" : rest));
            case "DEFER":
            case "DEFER_IF_PERMIT":
            case "DEFER_IF_REJECT":
                return Verdict.reject(450, "4.7.1", subject + ": " + what + " rejected: " + (rest.isEmpty() ? "Access denied" : rest));
            default:
                break;
        }
        Matcher m = CODE.matcher(v);
        if (m.matches()) {
            int code = Integer.parseInt(m.group(1));
            String enhanced = m.group(2) != null ? m.group(2) : (code >= 500 ? "5.7.1" : "4.7.1");
            if (enhanced.charAt(0) != m.group(1).charAt(0)) {
                enhanced = (code >= 500 ? "5" : "4") + enhanced.substring(1);
            }
            String text = m.group(3).isEmpty() ? "Access denied" : m.group(3);
            return Verdict.reject(code, enhanced, subject + ": " + what + " rejected: " + text);
        }
        if (first.equals(first.toLowerCase(Locale.ROOT)) && first.contains("_") && rest.isEmpty()) {
            return new Delegate(first);
        }
        return null;
    }

    /** Lookup keys for a client: name, its parent domains, the address, its shorter prefixes. */
    static List<String> clientKeys(String name, String address) {
        List<String> keys = new ArrayList<>();
        if (name != null && !name.equals("unknown")) {
            keys.addAll(domainKeys(name));
        }
        keys.add(address);
        String sep = address.contains(":") ? ":" : ".";
        String a = address;
        int i;
        while ((i = a.lastIndexOf(sep)) > 0) {
            a = a.substring(0, i);
            if (!a.isEmpty() && !a.endsWith(":")) {
                keys.add(a);
            }
        }
        return keys;
    }

    /** A domain and its parents ({@code a.b.c}, {@code b.c}, {@code c}), Postfix parent_domain_matches_subdomains. */
    static List<String> domainKeys(String domain) {
        List<String> keys = new ArrayList<>();
        String d = domain.toLowerCase(Locale.ROOT);
        while (!d.isEmpty()) {
            keys.add(d);
            int dot = d.indexOf('.');
            if (dot < 0) {
                break;
            }
            d = d.substring(dot + 1);
        }
        return keys;
    }

    /** Keys for an address: {@code user@domain}, the domain and its parents, {@code user@}. */
    static List<String> addressKeys(String address) {
        List<String> keys = new ArrayList<>();
        if (address.isEmpty()) {
            keys.add("<>"); // Postfix smtpd_null_access_lookup_key
            return keys;
        }
        keys.add(address);
        int at = address.lastIndexOf('@');
        if (at >= 0) {
            keys.addAll(domainKeys(address.substring(at + 1)));
            keys.add(address.substring(0, at + 1));
        }
        return keys;
    }
}
