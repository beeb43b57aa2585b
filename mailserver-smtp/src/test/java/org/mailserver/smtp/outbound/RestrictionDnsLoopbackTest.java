package org.mailserver.smtp.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.smtp.policy.DnsChecker;
import org.mailserver.smtp.policy.DnsjavaChecker;

/**
 * The SMTP restrictions' real resolver ({@link DnsjavaChecker}, as configured by smtpd_dns_servers)
 * against the loopback DNS server of the outbound tests (it lives in this package, hence this test's
 * place): MX or A found, NXDOMAIN, SERVFAIL as a temporary failure, and a DNSBL A lookup.
 */
@Timeout(30)
class RestrictionDnsLoopbackTest {

    @Test
    void answersFromALoopbackServer() throws Exception {
        try (TestDnsServer dns = new TestDnsServer()) {
            dns.mx("mail.example", 10, "mx.mail.example").a("mx.mail.example", "192.0.2.1");
            dns.a("aonly.example", "192.0.2.2");
            dns.servfail("broken.example");
            dns.a("1.0.0.127.bl.example", "127.0.0.2");
            DnsChecker checker = new DnsjavaChecker(List.of(dns.address()));
            assertEquals(DnsChecker.Status.FOUND, checker.domainResolves("mail.example"));
            assertEquals(DnsChecker.Status.FOUND, checker.domainResolves("aonly.example"));
            assertEquals(DnsChecker.Status.NOT_FOUND, checker.domainResolves("nowhere.example"));
            assertEquals(DnsChecker.Status.TEMPORARY_FAILURE, checker.domainResolves("broken.example"));
            DnsChecker.Answer listed = checker.addresses("1.0.0.127.bl.example");
            assertEquals(DnsChecker.Status.FOUND, listed.status());
            assertEquals(List.of("127.0.0.2"), listed.addresses());
            assertEquals(DnsChecker.Status.NOT_FOUND, checker.addresses("2.0.0.127.bl.example").status());
        }
    }
}
