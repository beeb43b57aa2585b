package org.mailserver.smtp.outbound.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * One TLSA record (RFC 6698 2.1): certificate usage, selector, matching type and the association data,
 * and the test whether a certificate matches it. Only DANE-TA(2) and DANE-EE(3) are usable for SMTP
 * (RFC 7672 3.1.3: PKIX-TA(0) and PKIX-EE(1) are not), with selector 0/1 and matching type 0/1/2.
 */
public record TlsaRecord(int usage, int selector, int matching, byte[] data) {
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;

    /** RFC 7672 3.1.3 and RFC 6698 2.1: records we can use; the others are ignored. */
    public boolean usable() {
        return (usage == DANE_TA || usage == DANE_EE) && (selector == 0 || selector == 1)
            && matching >= 0 && matching <= 2 && data.length > 0;
    }

    /** Whether {@code cert} is the one this record designates (RFC 6698 2.1.2-2.1.4). */
    public boolean matches(X509Certificate cert) {
        try {
            // Selector 0: the full certificate; 1: the DER SubjectPublicKeyInfo.
            byte[] selected = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
            byte[] digest = switch (matching) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return digest != null && MessageDigest.isEqual(digest, data);
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    /** Presentation form, as dig shows it: {@code 3 1 1 abcd...}. */
    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(data);
        return usage + " " + selector + " " + matching + " " + (hex.length() > 16 ? hex.substring(0, 16) + "..." : hex);
    }
}
