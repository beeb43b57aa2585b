package org.mailserver.smtp.outbound.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TLSA matcher (RFC 6698 2.1, RFC 7672 3.1) against Bouncy Castle certificates. */
@Timeout(30)
class DaneTrustManagerTest {

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static byte[] sha512(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-512").digest(b);
    }

    private static DaneTrustManager dane(List<String> names, TlsaRecord... records) {
        return new DaneTrustManager(List.of(records), names);
    }

    @Test
    void daneEeMatchesBySelectorAndMatchingTypeIgnoringNamesAndExpiry() throws Exception {
        // Expired a day ago and named for another host: DANE-EE does not care (RFC 7672 3.1.1).
        X509Certificate leaf = TestPki.leaf("other.example", null, -10, -1).cert();
        List<String> names = List.of("mx.example.test", "example.test");
        assertDoesNotThrow(() -> dane(names, new TlsaRecord(3, 1, 1, sha256(leaf.getPublicKey().getEncoded()))).check(new X509Certificate[] {leaf}));
        assertDoesNotThrow(() -> dane(names, new TlsaRecord(3, 0, 0, leaf.getEncoded())).check(new X509Certificate[] {leaf}));
        assertDoesNotThrow(() -> dane(names, new TlsaRecord(3, 0, 2, sha512(leaf.getEncoded()))).check(new X509Certificate[] {leaf}));
        assertDoesNotThrow(() -> dane(names, new TlsaRecord(3, 1, 2, sha512(leaf.getPublicKey().getEncoded()))).check(new X509Certificate[] {leaf}));
    }

    @Test
    void mismatchAndUnusableRecordsFail() throws Exception {
        X509Certificate leaf = TestPki.leaf("mx.example.test", null, -1, 10).cert();
        X509Certificate other = TestPki.leaf("mx.example.test", null, -1, 10).cert();
        List<String> names = List.of("mx.example.test");
        CertificateException e = assertThrows(CertificateException.class,
            () -> dane(names, new TlsaRecord(3, 1, 1, sha256(other.getPublicKey().getEncoded()))).check(new X509Certificate[] {leaf}));
        assertTrue(e.getMessage().startsWith("DANE:"), e.getMessage());
        // PKIX-EE(1) naming exactly this certificate is still unusable for SMTP (RFC 7672 3.1.3).
        TlsaRecord pkixEe = new TlsaRecord(1, 1, 1, sha256(leaf.getPublicKey().getEncoded()));
        assertFalse(pkixEe.usable());
        assertThrows(CertificateException.class, () -> dane(names, pkixEe).check(new X509Certificate[] {leaf}));
        // An unknown matching type is unusable too.
        assertFalse(new TlsaRecord(3, 1, 7, new byte[] {1}).usable());
        assertThrows(CertificateException.class, () -> dane(names, new TlsaRecord(3, 1, 1, new byte[32])).check(new X509Certificate[0]));
    }

    @Test
    void daneTaValidatesTheChainToTheAnchorAndChecksTheName() throws Exception {
        TestPki.Issued ca = TestPki.ca("Test DANE CA");
        X509Certificate leaf = TestPki.leaf("mx.example.test", ca, -1, 10).cert();
        X509Certificate[] chain = {leaf, ca.cert()};
        TlsaRecord ta = new TlsaRecord(2, 0, 1, sha256(ca.cert().getEncoded()));
        assertDoesNotThrow(() -> dane(List.of("mx.example.test", "example.test"), ta).check(chain));
        // RFC 7672 3.2.2: the next-hop domain is a reference identifier too.
        X509Certificate forDomain = TestPki.leaf("example.test", ca, -1, 10).cert();
        assertDoesNotThrow(() -> dane(List.of("mx.example.test", "example.test"), ta).check(new X509Certificate[] {forDomain, ca.cert()}));

        CertificateException wrongName = assertThrows(CertificateException.class,
            () -> dane(List.of("mx.other.test", "other.test"), ta).check(chain));
        assertTrue(wrongName.getMessage().contains("name"), wrongName.getMessage());

        // Signed by another CA that happens to be in the chain: the path to the TA does not validate.
        TestPki.Issued rogue = TestPki.ca("Rogue CA");
        X509Certificate rogueLeaf = TestPki.leaf("mx.example.test", rogue, -1, 10).cert();
        assertThrows(CertificateException.class, () -> dane(List.of("mx.example.test"), ta).check(new X509Certificate[] {rogueLeaf, ca.cert()}));

        // DANE-TA does check validity dates (only DANE-EE ignores them).
        X509Certificate expired = TestPki.leaf("mx.example.test", ca, -10, -1).cert();
        assertThrows(CertificateException.class, () -> dane(List.of("mx.example.test"), ta).check(new X509Certificate[] {expired, ca.cert()}));

        // TA by its public key (selector 1), wildcard name in the certificate.
        X509Certificate wild = TestPki.leaf("*.example.test", ca, -1, 10).cert();
        TlsaRecord taSpki = new TlsaRecord(2, 1, 1, sha256(ca.cert().getPublicKey().getEncoded()));
        assertDoesNotThrow(() -> dane(List.of("mx.example.test"), taSpki).check(new X509Certificate[] {wild, ca.cert()}));
        assertThrows(CertificateException.class, () -> dane(List.of("a.mx.example.test"), taSpki).check(new X509Certificate[] {wild, ca.cert()}));
    }
}
