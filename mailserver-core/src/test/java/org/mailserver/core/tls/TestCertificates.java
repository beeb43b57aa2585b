package org.mailserver.core.tls;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Writes test keys and self-signed certificates in the PEM forms admins meet. */
public final class TestCertificates {
    public enum KeyFormat { TRADITIONAL, PKCS8 }

    public record Written(Path key, Path cert, X509Certificate certificate) {
    }

    private TestCertificates() {
    }

    public static Written write(Path dir, String prefix, String algorithm, KeyFormat format, Duration validity, String... names) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(algorithm.equals("RSA") ? 2048 : 256);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + names[0]);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validity)), subject, pair.getPublic());
        GeneralName[] sans = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, names[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        String signature = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        X509Certificate cert = new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
        Path key = dir.resolve(prefix + "-key.pem");
        Path crt = dir.resolve(prefix + "-cert.pem");
        Object keyPem;
        if (format == KeyFormat.PKCS8) {
            keyPem = new JcaPKCS8Generator(pair.getPrivate(), null);
        } else if (algorithm.equals("EC")) {
            keyPem = sec1(pair);
        } else {
            keyPem = pair.getPrivate(); // BC writes RSA as PKCS#1 "RSA PRIVATE KEY"
        }
        Files.writeString(key, pem(keyPem));
        Files.writeString(crt, pem(cert));
        return new Written(key, crt, cert);
    }

    /** "EC PRIVATE KEY" with the curve inside, as openssl ecparam -genkey writes it. */
    private static PemObject sec1(KeyPair pair) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
            info.getPrivateKeyAlgorithm().getParameters());
        return new PemObject("EC PRIVATE KEY", withCurve.getEncoded());
    }

    static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
