package org.mailserver.smtp.outbound.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Server name checks for DANE-TA (RFC 7672 3.2.3) and MTA-STS MX patterns (RFC 8461 4.1): DNS names, with
 * a wildcard allowed only as the whole leftmost label, matching exactly one label (RFC 6125 6.4.3).
 * The subject CN is consulted only when the certificate has no DNS subjectAltName (RFC 6125 6.4.4).
 */
public final class NameMatcher {
    private NameMatcher() {
    }

    /** {@code pattern} ({@code host.example} or {@code *.example}) against a host name; case-insensitive. */
    public static boolean matches(String pattern, String host) {
        String p = strip(pattern);
        String h = strip(host);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(h);
    }

    public static boolean matchesAny(X509Certificate cert, List<String> names) {
        List<String> certNames = dnsNames(cert);
        for (String n : names) {
            for (String c : certNames) {
                if (matches(c, n)) {
                    return true;
                }
            }
        }
        return false;
    }

    static List<String> dnsNames(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                List<String> out = sans.stream().filter(s -> Integer.valueOf(2).equals(s.get(0)))
                    .map(s -> (String) s.get(1)).toList();
                if (!out.isEmpty()) {
                    return out;
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        String dn = cert.getSubjectX500Principal().getName();
        for (String part : dn.split(",")) {
            if (part.startsWith("CN=")) {
                return List.of(part.substring(3));
            }
        }
        return List.of();
    }

    private static String strip(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
