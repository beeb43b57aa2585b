package org.mailserver.core.address;

import java.util.Locale;

/**
 * An envelope mailbox {@code local-part@domain} (RFC 5321 4.1.2), as received: the local part keeps its
 * case (RFC 5321 2.4: only the receiving host may interpret it), the domain is compared without case.
 * The null reverse path {@code <>} is not a MailAddress; callers carry it as {@code ""}.
 */
public record MailAddress(String localPart, String domain) {

    public MailAddress {
        if (localPart == null || localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        if (domain == null) {
            throw new IllegalArgumentException("no domain");
        }
    }

    /** Parses {@code local@domain}; a quoted local part is kept with its quotes. No domain means {@code ""}. */
    public static MailAddress parse(String text) {
        String s = text.trim();
        int at = lastAtOutsideQuotes(s);
        if (at < 0) {
            checkLocalPart(s);
            return new MailAddress(s, "");
        }
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        checkLocalPart(local);
        checkDomain(domain);
        return new MailAddress(local, domain);
    }

    private static int lastAtOutsideQuotes(String s) {
        boolean quoted = false;
        int at = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '@' && !quoted) {
                at = i;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted string");
        }
        return at;
    }

    private static void checkLocalPart(String local) {
        if (local.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        if (local.length() > 64 * 4) {
            throw new IllegalArgumentException("local part too long");
        }
        if (local.startsWith("\"")) {
            return;
        }
        // RFC 5321 4.1.2 Dot-string: atoms separated by single dots (UTF-8 allowed per RFC 6531 3.3).
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new IllegalArgumentException("bad dots in local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c < 128 && !(Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("bad character in local part");
            }
        }
    }

    private static void checkDomain(String domain) {
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        if (domain.startsWith("[")) {
            if (!domain.endsWith("]")) {
                throw new IllegalArgumentException("bad address literal");
            }
            return;
        }
        if (domain.length() > 255 || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            throw new IllegalArgumentException("bad domain");
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c < 128 && !(Character.isLetterOrDigit(c) || c == '-' || c == '.')) {
                throw new IllegalArgumentException("bad character in domain");
            }
        }
    }

    /** The domain in lower case, for comparisons and lookups. */
    public String domainKey() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** True when every character is US-ASCII (else SMTPUTF8 is required, RFC 6531 3.4). */
    public boolean isAscii() {
        return toString().chars().allMatch(c -> c < 128);
    }

    /** True when the domain has at least one dot or is an address literal (Postfix's "fully qualified"). */
    public boolean hasFqdn() {
        return domain.startsWith("[") || (domain.indexOf('.') > 0 && !domain.endsWith("."));
    }

    @Override
    public String toString() {
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }
}
