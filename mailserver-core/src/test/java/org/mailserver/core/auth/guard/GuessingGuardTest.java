package org.mailserver.core.auth.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The guard's arithmetic on a fake clock: doubling delays, lock-outs, windows, trusted IPs, IPv6 /64, bounds. */
@Timeout(10)
class GuessingGuardTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final GuessingGuard guard = new GuessingGuard(new GuessingGuard.Config(Duration.ofSeconds(2),
        Duration.ofSeconds(15), 3, 5, Duration.ofMinutes(10), Duration.ofMinutes(15), 100), now::get);

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void delaysDoubleUpToTheMaximumAndIpLocksForTheDuration() throws Exception {
        assertEquals(Duration.ofSeconds(2), guard.recordFailure("a", ip("203.0.113.1")));
        assertEquals(Duration.ofSeconds(4), guard.recordFailure("b", ip("203.0.113.1")));
        assertEquals(GuessingGuard.Decision.ALLOW, guard.check("c", ip("203.0.113.1")));
        assertEquals(Duration.ofSeconds(8), guard.recordFailure("c", ip("203.0.113.1")));
        assertEquals(GuessingGuard.Decision.IP_LOCKED, guard.check("d", ip("203.0.113.1")));
        assertEquals(GuessingGuard.Decision.ALLOW, guard.check("d", ip("203.0.113.2")));
        now.addAndGet(Duration.ofMinutes(15).toMillis() + 1);
        assertEquals(GuessingGuard.Decision.ALLOW, guard.check("d", ip("203.0.113.1")));
        assertEquals(Duration.ofSeconds(2), guard.recordFailure("d", ip("203.0.113.1")), "count starts afresh");
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() throws Exception {
        guard.recordFailure("a", ip("203.0.113.3"));
        now.addAndGet(Duration.ofMinutes(6).toMillis());
        guard.recordFailure("a", ip("203.0.113.3"));
        now.addAndGet(Duration.ofMinutes(6).toMillis());
        // 12 minutes after the first failure the 10-minute window is over, though the last one was 6 minutes ago.
        assertEquals(Duration.ofSeconds(2), guard.recordFailure("a", ip("203.0.113.3")));
        assertEquals(GuessingGuard.Decision.ALLOW, guard.check("a", ip("203.0.113.3")));
    }

    @Test
    void userLockSparesIpsTheUserLoggedInFrom() throws Exception {
        guard.recordSuccess("bob", ip("198.51.100.1"));
        for (int i = 0; i < 5; i++) {
            guard.recordFailure("bob", ip("203.0.113." + (10 + i)));
        }
        assertEquals(GuessingGuard.Decision.USER_LOCKED, guard.check("BOB", ip("203.0.113.99")));
        assertEquals(GuessingGuard.Decision.ALLOW, guard.check("bob", ip("198.51.100.1")));
        assertEquals(Duration.ofSeconds(15), guard.recordFailure("bob", ip("203.0.113.50")), "capped");
    }

    @Test
    void ipv6CountsPerSlash64AndMemoryIsBounded() throws Exception {
        guard.recordFailure("a", ip("2001:db8::1"));
        guard.recordFailure("a", ip("2001:db8::2"));
        guard.recordFailure("a", ip("2001:db8::ffff:3"));
        assertEquals(GuessingGuard.Decision.IP_LOCKED, guard.check("x", ip("2001:db8::abcd")));
        assertEquals(GuessingGuard.Decision.ALLOW, guard.check("x", ip("2001:db8:0:1::1")));
        BoundedLru<String, Integer> lru = new BoundedLru<>(100);
        for (int i = 0; i < 10_000; i++) {
            lru.put("k" + i, i);
        }
        assertEquals(100, lru.size());
        assertTrue(lru.get("k9999") != null && lru.get("k0") == null);
    }
}
