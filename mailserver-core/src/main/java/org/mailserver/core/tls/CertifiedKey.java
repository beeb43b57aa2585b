package org.mailserver.core.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * A private key with its certificate chain (leaf first), as read from PEM files by {@link PemFiles}.
 * The host names it serves (for SNI selection) are the leaf's DNS subject alternative names, or its
 * common name when it has none.
 *
 * @param key    the private key (RSA or EC)
 * @param chain  leaf certificate first, then intermediates
 * @param source the file the key came from, for messages
 */
public record CertifiedKey(PrivateKey key, List<X509Certificate> chain, Path source) {

    public CertifiedKey {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Lower-case DNS names from the leaf's subjectAltName (type 2), else its CN. */
    public Set<String> dnsNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            var sans = leaf().getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(san.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // Fall through to the common name.
        }
        if (names.isEmpty()) {
            String cn = commonName(leaf().getSubjectX500Principal());
            if (cn != null) {
                names.add(cn.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static String commonName(X500Principal principal) {
        for (String part : principal.getName(X500Principal.RFC2253).split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return null;
    }

    /** The chain as an array, as the TLS builders want it. */
    public X509Certificate[] chainArray() {
        return new ArrayList<>(chain).toArray(new X509Certificate[0]);
    }
}
