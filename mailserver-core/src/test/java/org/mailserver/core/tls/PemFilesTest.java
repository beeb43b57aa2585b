package org.mailserver.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.tls.TestCertificates.KeyFormat;

@Timeout(30)
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsRsaPkcs1AndEcSec1AndPkcs8Keys() throws Exception {
        var rsa1 = TestCertificates.write(dir, "rsa1", "RSA", KeyFormat.TRADITIONAL, Duration.ofDays(90), "a.example");
        var rsa8 = TestCertificates.write(dir, "rsa8", "RSA", KeyFormat.PKCS8, Duration.ofDays(90), "b.example");
        var ec1 = TestCertificates.write(dir, "ec1", "EC", KeyFormat.TRADITIONAL, Duration.ofDays(90), "c.example");
        var ec8 = TestCertificates.write(dir, "ec8", "EC", KeyFormat.PKCS8, Duration.ofDays(90), "d.example", "*.d.example");
        assertTrue(Files.readString(rsa1.key()).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(ec1.key()).contains("BEGIN EC PRIVATE KEY"));
        assertTrue(Files.readString(rsa8.key()).contains("BEGIN PRIVATE KEY"));
        assertEquals("RSA", PemFiles.readPair(rsa1.key(), rsa1.cert()).key().getAlgorithm());
        assertEquals("RSA", PemFiles.readPair(rsa8.key(), rsa8.cert()).key().getAlgorithm());
        assertEquals("EC", PemFiles.readPair(ec1.key(), ec1.cert()).key().getAlgorithm());
        CertifiedKey ec = PemFiles.readPair(ec8.key(), ec8.cert());
        assertEquals(Set.of("d.example", "*.d.example"), ec.dnsNames());
    }

    @Test
    void chainFilesPairEachKeyWithTheCertificatesThatFollowIt() throws Exception {
        var a = TestCertificates.write(dir, "a", "EC", KeyFormat.PKCS8, Duration.ofDays(90), "a.example");
        var b = TestCertificates.write(dir, "b", "RSA", KeyFormat.TRADITIONAL, Duration.ofDays(90), "b.example");
        Path combined = dir.resolve("b-combined.pem");
        Files.writeString(combined, Files.readString(b.key()) + Files.readString(b.cert()));
        List<CertifiedKey> keys = PemFiles.readChains(List.of(a.key(), a.cert(), combined));
        assertEquals(2, keys.size());
        assertEquals(Set.of("a.example"), keys.get(0).dnsNames());
        assertEquals(Set.of("b.example"), keys.get(1).dnsNames());
    }

    @Test
    void badInputGetsMessagesNamingTheFile() throws Exception {
        var a = TestCertificates.write(dir, "a", "EC", KeyFormat.PKCS8, Duration.ofDays(90), "a.example");
        var b = TestCertificates.write(dir, "b", "EC", KeyFormat.PKCS8, Duration.ofDays(90), "b.example");
        ConfigException mismatch = assertThrows(ConfigException.class, () -> PemFiles.readPair(a.key(), b.cert()));
        assertTrue(mismatch.getMessage().startsWith(b.cert() + ": private key does not match certificate CN=b.example"),
            mismatch.getMessage());
        Path missing = dir.resolve("nope.pem");
        assertEquals(missing + ": cannot read file",
            assertThrows(ConfigException.class, () -> PemFiles.readPair(missing, a.cert())).getMessage());
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "hello\n");
        assertEquals(garbage + ": no PEM key or certificate found",
            assertThrows(ConfigException.class, () -> PemFiles.readPair(garbage, a.cert())).getMessage());
        assertEquals(a.cert() + ": certificate found before its private key (list the key file first, as in Postfix's smtpd_tls_chain_files)",
            assertThrows(ConfigException.class, () -> PemFiles.readChains(List.of(a.cert(), a.key()))).getMessage());
    }
}
