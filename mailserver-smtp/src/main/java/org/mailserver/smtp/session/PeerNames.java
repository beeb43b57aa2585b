package org.mailserver.smtp.session;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's verified name (smtpd_peername_lookup): a reverse lookup confirmed by a forward lookup,
 * as the JDK's {@link InetAddress#getCanonicalHostName()} does it, remembered for a short while per
 * address. A client that connects once per message (the usual MTA) would otherwise cost a resolver
 * round trip and two thread hops before every greeting; the JDK already caches the forward half for
 * 30 s ({@code networkaddress.cache.ttl}), this caches the whole answer as long (and "unknown" for
 * 10 s, the JDK's negative TTL), so a changed PTR record is seen within that time. Postfix asks the
 * resolver each time, which its (and nscd's) caches answer cheaply. Bounded: at {@value #MAX_ENTRIES}
 * addresses the cache is emptied. Thread safe; {@link #lookup} blocks, {@link #cached} does not.
 */
public final class PeerNames {
    static final int MAX_ENTRIES = 4096;
    static final long POSITIVE_TTL_NANOS = 30_000_000_000L;
    static final long NEGATIVE_TTL_NANOS = 10_000_000_000L;

    private record Entry(String name, long expires) {
    }

    private static final ConcurrentHashMap<InetAddress, Entry> CACHE = new ConcurrentHashMap<>();

    private PeerNames() {
    }

    /** The remembered name ("unknown" when the lookup failed), or null when it must be looked up. */
    public static String cached(InetAddress address) {
        Entry e = CACHE.get(address);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.expires() > 0) {
            CACHE.remove(address, e);
            return null;
        }
        return e.name();
    }

    /** Looks the name up (blocking: the resolver) and remembers it. */
    public static String lookup(InetAddress address) {
        String n = address.getCanonicalHostName(); // reverse lookup, forward-confirmed by the JDK
        String name = n.equals(address.getHostAddress()) ? "unknown" : n;
        if (CACHE.size() >= MAX_ENTRIES) {
            CACHE.clear();
        }
        long ttl = "unknown".equals(name) ? NEGATIVE_TTL_NANOS : POSITIVE_TTL_NANOS;
        CACHE.put(address, new Entry(name, System.nanoTime() + ttl));
        return name;
    }
}
