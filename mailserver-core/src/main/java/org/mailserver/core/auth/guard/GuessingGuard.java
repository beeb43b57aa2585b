package org.mailserver.core.auth.guard;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Protection against password guessing, per remote IP and per user name. Every failure is answered after a
 * delay that starts at {@code auth_failure_delay} and doubles with each recent failure of that IP or user (up to
 * {@code auth_failure_delay_max}); after {@code auth_lockout_ip_failures} failures from one IP, or
 * {@code auth_lockout_user_failures} for one user, within {@code auth_lockout_window}, that IP or user is
 * refused for {@code auth_lockout_duration} without checking any password. The user lock-out does not apply
 * to an IP from which that user recently logged in successfully, so an attack on an account from elsewhere
 * does not lock its owner out. IPv6 addresses count per /64. Memory is bounded by {@code auth_guard_max_entries}
 * per table (LRU). Called by the auth service before and after each verification; thread-safe; state is in
 * memory only (a restart forgets it).
 */
public final class GuessingGuard {

    /** Thresholds, see the class comment; durations must be non-negative. */
    public record Config(Duration failureDelay, Duration maxFailureDelay, int ipFailures, int userFailures,
                         Duration window, Duration lockout, int maxEntries) {
    }

    /** What to do with a login attempt before verifying it. */
    public enum Decision {
        /** Verify the credentials. */
        ALLOW,
        /** Too many recent failures from this IP (or /64). */
        IP_LOCKED,
        /** Too many recent failures for this user, and this IP is not one the user logged in from. */
        USER_LOCKED
    }

    /** Failures of one IP or user in the current window (a fixed window opened by its first failure). */
    private static final class Counter {
        int failures;
        long windowStart;
        long lockedUntil;
    }

    private final Config config;
    private final LongSupplier clockMillis;
    private final BoundedLru<String, Counter> ips;
    private final BoundedLru<String, Counter> users;
    private final BoundedLru<String, Long> trusted;

    public GuessingGuard(Config config) {
        this(config, System::currentTimeMillis);
    }

    public GuessingGuard(Config config, LongSupplier clockMillis) {
        this.config = config;
        this.clockMillis = clockMillis;
        this.ips = new BoundedLru<>(config.maxEntries());
        this.users = new BoundedLru<>(config.maxEntries());
        this.trusted = new BoundedLru<>(config.maxEntries());
    }

    public Config config() {
        return config;
    }

    public Decision check(String user, InetAddress ip) {
        long now = clockMillis.getAsLong();
        if (locked(ips.get(ipKey(ip)), now)) {
            return Decision.IP_LOCKED;
        }
        if (locked(users.get(userKey(user)), now) && !isTrusted(user, ip, now)) {
            return Decision.USER_LOCKED;
        }
        return Decision.ALLOW;
    }

    /** Records a failed attempt and returns how long to wait before answering it. */
    public Duration recordFailure(String user, InetAddress ip) {
        long now = clockMillis.getAsLong();
        int ipCount = bump(ips.computeIfAbsent(ipKey(ip), k -> new Counter()), now, config.ipFailures());
        int userCount = user == null || user.isEmpty() ? 0
            : bump(users.computeIfAbsent(userKey(user), k -> new Counter()), now, config.userFailures());
        return delayFor(Math.max(ipCount, userCount));
    }

    /** The delay for a refused (locked-out) attempt: the longest one, so lock-outs are not a fast oracle. */
    public Duration lockedDelay() {
        return config.maxFailureDelay().compareTo(config.failureDelay()) > 0 ? config.maxFailureDelay() : config.failureDelay();
    }

    /** Remembers that {@code user} logged in from {@code ip}: that IP is exempt from the user's lock-out. */
    public void recordSuccess(String user, InetAddress ip) {
        trusted.put(userKey(user) + " " + ipKey(ip), clockMillis.getAsLong());
    }

    private Duration delayFor(int failures) {
        long base = config.failureDelay().toMillis();
        long max = Math.max(base, config.maxFailureDelay().toMillis());
        int doublings = Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(max, base << doublings));
    }

    private int bump(Counter c, long now, int threshold) {
        synchronized (c) {
            if (c.failures == 0 || now - c.windowStart > config.window().toMillis()) {
                c.failures = 0;
                c.windowStart = now;
            }
            c.failures++;
            if (threshold > 0 && c.failures >= threshold && c.lockedUntil <= now) {
                c.lockedUntil = now + config.lockout().toMillis();
            }
            return c.failures;
        }
    }

    private boolean locked(Counter c, long now) {
        if (c == null) {
            return false;
        }
        synchronized (c) {
            if (c.lockedUntil > now) {
                return true;
            }
            if (c.lockedUntil != 0) {
                // The lock-out is over: start a fresh count rather than re-locking at the next failure.
                c.lockedUntil = 0;
                c.failures = 0;
            }
            return false;
        }
    }

    private boolean isTrusted(String user, InetAddress ip, long now) {
        Long since = trusted.get(userKey(user) + " " + ipKey(ip));
        // A success is remembered for 30 days (bounded by the LRU anyway).
        return since != null && now - since < Duration.ofDays(30).toMillis();
    }

    private static String userKey(String user) {
        return user == null ? "" : user.toLowerCase(Locale.ROOT);
    }

    /** IPv4 per address; IPv6 per /64, since one host usually owns a whole /64. */
    static String ipKey(InetAddress ip) {
        if (ip == null) {
            return "local";
        }
        if (ip instanceof Inet6Address) {
            byte[] b = Arrays.copyOf(ip.getAddress(), 16);
            Arrays.fill(b, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(b).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return ip.getHostAddress();
    }
}
