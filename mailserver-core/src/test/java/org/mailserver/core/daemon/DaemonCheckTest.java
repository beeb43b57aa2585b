package org.mailserver.core.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.daemon.DaemonCheck.Finding;
import org.mailserver.core.daemon.DaemonCheck.Level;
import org.mailserver.core.tls.TestCertificates;
import org.mailserver.core.tls.TestCertificates.KeyFormat;

@Timeout(30)
class DaemonCheckTest {
    @TempDir
    Path dir;

    private List<Finding> check(String certificatePrefix) throws Exception {
        Files.writeString(dir.resolve("main.cf"), String.join("\n", "myhostname = a.example", "data_directory = data",
            "queue_directory = data/queue", "smtpd_tls_cert_file = " + certificatePrefix + "-cert.pem",
            "smtpd_tls_key_file = " + certificatePrefix + "-key.pem", ""));
        Files.writeString(dir.resolve("master.cf"), "smtp smtp 127.0.0.1:0\n");
        return DaemonCheck.run(dir);
    }

    private static Finding about(List<Finding> findings, String text) {
        return findings.stream().filter(f -> f.message().contains(text)).findFirst()
            .orElseThrow(() -> new AssertionError("no finding about " + text + " in " + findings));
    }

    @Test
    void certificateExpiryIsOkSoonOrExpired() throws Exception {
        TestCertificates.write(dir, "good", "EC", KeyFormat.PKCS8, Duration.ofDays(90), "a.example");
        assertEquals(Level.OK, about(check("good"), "certificate [a.example]").level());
        TestCertificates.write(dir, "soon", "EC", KeyFormat.PKCS8, Duration.ofDays(3), "a.example");
        assertEquals(Level.WARNING, about(check("soon"), "expires soon").level());
        TestCertificates.write(dir, "old", "EC", KeyFormat.PKCS8, Duration.ofHours(-1), "a.example");
        assertEquals(Level.ERROR, about(check("old"), "expired on").level());
    }

    @Test
    void missingDirectoriesAreWarningsAndAMissingKeyIsAnError() throws Exception {
        List<Finding> findings = check("absent");
        assertEquals(Level.WARNING, about(findings, "data_directory").level());
        Finding key = about(findings, "absent-key.pem");
        assertEquals(Level.ERROR, key.level());
        assertTrue(key.message().endsWith("absent-key.pem: cannot read file"), key.message());
    }
}
