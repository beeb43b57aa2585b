package org.mailserver.core.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.mailserver.core.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the daemon uses when none is configured: an ECDSA P-256 self-signed certificate for
 * myhostname (subjectAltName myhostname, localhost, 127.0.0.1), generated on first start into
 * {@code data_directory/tls/} as {@code selfsigned-key.pem} (PKCS#8, mode 0600) and
 * {@code selfsigned-cert.pem}. It is regenerated when missing, when it no longer names myhostname,
 * or within 30 days of expiry. Files are written to a temporary name and renamed, so a crash never
 * leaves half a key behind.
 */
public final class SelfSignedCertificate {
    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
    static final Duration VALIDITY = Duration.ofDays(825);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSignedCertificate() {
    }

    public static Path keyFile(Path dataDirectory) {
        return dataDirectory.resolve("tls").resolve("selfsigned-key.pem");
    }

    public static Path certFile(Path dataDirectory) {
        return dataDirectory.resolve("tls").resolve("selfsigned-cert.pem");
    }

    /** Returns the self-signed certificate for hostname, creating or renewing it as needed. */
    public static synchronized CertifiedKey ensure(Path dataDirectory, String hostname) {
        Path key = keyFile(dataDirectory);
        Path cert = certFile(dataDirectory);
        if (Files.exists(key) && Files.exists(cert)) {
            try {
                CertifiedKey existing = PemFiles.readPair(key, cert);
                boolean names = existing.dnsNames().contains(hostname.toLowerCase(Locale.ROOT));
                boolean fresh = existing.leaf().getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
                if (names && fresh) {
                    return existing;
                }
            } catch (ConfigException e) {
                log.warn("self-signed certificate in {} is unreadable, generating a new one: {}", cert, e.getMessage());
            }
        }
        return generate(dataDirectory, hostname);
    }

    private static CertifiedKey generate(Path dataDirectory, String hostname) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()).abs(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, hostname),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));

            Path dir = keyFile(dataDirectory).getParent();
            Files.createDirectories(dir);
            writeAtomically(keyFile(dataDirectory), pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
            writeAtomically(certFile(dataDirectory), pem(certificate), false);
            log.info("generated a self-signed certificate for {} in {} (valid until {}); configure "
                + "smtpd_tls_cert_file and smtpd_tls_key_file for a real one", hostname, certFile(dataDirectory),
                certificate.getNotAfter().toInstant());
            return new CertifiedKey(pair.getPrivate(), List.of(certificate), keyFile(dataDirectory));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new ConfigException("cannot create a self-signed certificate in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp);
        if (secret) {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system; nothing more we can do.
            }
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
