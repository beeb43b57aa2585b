package org.mailserver.smtp.outbound.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;

/**
 * Checks an SMTP server's certificate chain against its DNSSEC-secure TLSA records (RFC 7672 3). Used as
 * the trust manager of a {@code dane} connection via {@link org.mailserver.smtp.outbound.TlsPolicy}, which
 * logs "Verified" when this check passes and defers with 4.7.5 when it fails.
 * <ul>
 * <li>DANE-EE(3): the leaf certificate matches; names and validity dates are not checked (RFC 7672 3.1.1).
 * <li>DANE-TA(2): some certificate of the chain matches and is taken as trust anchor; the chain below it is
 * PKIX-validated (dates included) and the leaf must carry one of the reference names (RFC 7672 3.1.2, 3.2.2:
 * the MX host name, and the next-hop domain).
 * </ul>
 * Stateless apart from its inputs; safe to share by the handshakes of one delivery attempt.
 */
public final class DaneTrustManager extends ClientSideTrustManager {
    private final List<TlsaRecord> records;
    private final List<String> referenceNames;

    public DaneTrustManager(List<TlsaRecord> records, List<String> referenceNames) {
        this.records = records.stream().filter(TlsaRecord::usable).toList();
        this.referenceNames = referenceNames;
    }

    /** The DANE verdict for a server chain; throws with the reason when no record matches. */
    public void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("DANE: the server sent no certificate");
        }
        String lastReason = "no TLSA record matched the certificate chain";
        for (TlsaRecord r : records) {
            if (r.usage() == TlsaRecord.DANE_EE) {
                if (r.matches(chain[0])) {
                    return;
                }
            } else {
                for (int i = 0; i < chain.length; i++) {
                    if (r.matches(chain[i])) {
                        String failure = validateBelow(chain, i);
                        if (failure == null) {
                            return;
                        }
                        lastReason = failure;
                    }
                }
            }
        }
        throw new CertificateException("DANE: " + lastReason + " (TLSA " + records + ")");
    }

    /** PKIX validation of chain[0..ta) with chain[ta] as anchor, then the name check; null when fine. */
    private String validateBelow(X509Certificate[] chain, int ta) {
        if (!NameMatcher.matchesAny(chain[0], referenceNames)) {
            return "certificate name does not match " + referenceNames;
        }
        if (ta == 0) {
            // The leaf itself is the trust anchor (a DANE-TA record naming a self-issued leaf).
            return null;
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(chain[ta], null)));
            // No revocation: RFC 7672 has no revocation checking for DANE, and it would need the network.
            p.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(Arrays.asList(chain).subList(0, ta)), p);
            return null;
        } catch (GeneralSecurityException e) {
            return "chain to the DANE-TA trust anchor did not validate: " + e.getMessage();
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }
}
