package org.mailserver.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.mailserver.core.config.ConfigException;

/**
 * Reads PEM private keys and certificate chains with Bouncy Castle: RSA and EC keys, in PKCS#1 /
 * SEC1 ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}) and PKCS#8 ({@code PRIVATE KEY}) form.
 * Encrypted keys are refused with a clear message (a daemon has no one to ask for a passphrase).
 *
 * <p>Files are read as one stream of PEM objects, Postfix's {@code smtpd_tls_chain_files} rule:
 * each private key is followed by its certificate chain, leaf first. So {@code privkey.pem
 * fullchain.pem} (Let's Encrypt) and a single combined file both work. Every error is a
 * {@link ConfigException} naming the file.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** Reads key-then-chain groups from the files, in order. */
    public static List<CertifiedKey> readChains(List<Path> files) {
        List<CertifiedKey> result = new ArrayList<>();
        PrivateKey key = null;
        Path keySource = null;
        List<X509Certificate> chain = new ArrayList<>();
        for (Path file : files) {
            for (Object object : readObjects(file)) {
                if (object instanceof PrivateKey k) {
                    if (key != null) {
                        result.add(finish(key, chain, keySource));
                        chain = new ArrayList<>();
                    }
                    key = k;
                    keySource = file;
                } else if (object instanceof X509Certificate c) {
                    if (key == null) {
                        throw new ConfigException(file + ": certificate found before its private key "
                            + "(list the key file first, as in Postfix's smtpd_tls_chain_files)");
                    }
                    chain.add(c);
                }
            }
        }
        if (key != null) {
            result.add(finish(key, chain, keySource));
        }
        return result;
    }

    /** Reads one key file and one certificate chain file (smtpd_tls_key_file / smtpd_tls_cert_file). */
    public static CertifiedKey readPair(Path keyFile, Path certFile) {
        PrivateKey key = null;
        for (Object o : readObjects(keyFile)) {
            if (o instanceof PrivateKey k && key == null) {
                key = k;
            }
        }
        if (key == null) {
            throw new ConfigException(keyFile + ": no private key found");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Object o : readObjects(certFile)) {
            if (o instanceof X509Certificate c) {
                chain.add(c);
            }
        }
        return finish(key, chain, certFile);
    }

    private static CertifiedKey finish(PrivateKey key, List<X509Certificate> chain, Path source) {
        if (chain.isEmpty()) {
            throw new ConfigException(source + ": private key without a certificate chain");
        }
        requireMatch(key, chain.get(0), source);
        return new CertifiedKey(key, chain, source);
    }

    /** Signs a probe with the key and verifies it with the leaf's public key. */
    private static void requireMatch(PrivateKey key, X509Certificate leaf, Path source) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519" -> "Ed25519";
            default -> throw new ConfigException(source + ": unsupported key algorithm " + key.getAlgorithm());
        };
        try {
            byte[] probe = "mailserver key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new ConfigException(source + ": private key does not match certificate "
                    + leaf.getSubjectX500Principal().getName());
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(source + ": private key does not match certificate "
                + leaf.getSubjectX500Principal().getName() + " (" + e.getMessage() + ")");
        }
    }

    /** Every key and certificate in one PEM file, converted to JCA objects, in file order. */
    static List<Object> readObjects(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException(file + ": cannot read file");
        }
        List<Object> out = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMKeyPair pair) {
                    out.add(keys.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (object instanceof PrivateKeyInfo info) {
                    out.add(keys.getPrivateKey(info));
                } else if (object instanceof X509CertificateHolder holder) {
                    out.add(certs.getCertificate(holder));
                } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new ConfigException(file + ": encrypted private keys are not supported; "
                        + "store the key unencrypted with mode 0600");
                } else if (object instanceof ASN1ObjectIdentifier) {
                    continue; // "EC PARAMETERS" block that openssl ecparam writes before the key
                }
            }
        } catch (ConfigException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigException(file + ": not a valid PEM file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ConfigException(file + ": no PEM key or certificate found");
        }
        return out;
    }
}
