package org.mailserver.smtp.outbound;

/**
 * A next hop as Postfix writes it: {@code domain} or {@code host} (MX lookup), {@code [host]} (no MX
 * lookup), either with {@code :port}; for LMTP also {@code inet:host:port} and {@code unix:/path}. IPv6 literals are written
 * {@code [ipv6:2001:db8::1]} or {@code [2001:db8::1]}.
 */
record Nexthop(String host, int port, boolean mxLookup, String unixPath) {

    Nexthop(String host, int port, boolean mxLookup) {
        this(host, port, mxLookup, null);
    }

    static Nexthop parse(String value, int defaultPort, boolean lmtp) {
        String v = value.trim();
        if (v.startsWith("unix:")) {
            // lmtp:unix:/run/dovecot/lmtp, as Postfix writes it for a local LMTP server.
            return new Nexthop(v.substring(5), 0, false, v.substring(5));
        }
        if (v.startsWith("inet:")) {
            v = v.substring(5);
            lmtp = true;
        }
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad next hop: " + value);
            }
            String host = v.substring(1, close);
            if (host.regionMatches(true, 0, "ipv6:", 0, 5)) {
                host = host.substring(5);
            }
            int port = defaultPort;
            if (v.length() > close + 1) {
                if (v.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad next hop: " + value);
                }
                port = Integer.parseInt(v.substring(close + 2));
            }
            return new Nexthop(host, port, false);
        }
        int colon = v.lastIndexOf(':');
        if (colon > 0 && v.indexOf(':') == colon) {
            return new Nexthop(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)), !lmtp);
        }
        return new Nexthop(v, defaultPort, !lmtp);
    }

    /** The host is an IP address literal: no DNS at all. */
    boolean literal() {
        return unixPath == null && host.matches("[0-9.]+") || host.contains(":");
    }
}
