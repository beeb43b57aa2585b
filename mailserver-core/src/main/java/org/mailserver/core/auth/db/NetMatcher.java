package org.mailserver.core.auth.db;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches an address against Dovecot's {@code allow_nets} list: comma- or space-separated addresses and
 * CIDR blocks ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, {@code ::1}), and {@code local} for a
 * connection without a remote address. Only literals: no host names, no DNS.
 */
public final class NetMatcher {
    private record Block(byte[] network, int prefix) {
    }

    private final List<Block> blocks = new ArrayList<>();
    private boolean local;

    /** Parses the list; throws {@link IllegalArgumentException} naming the bad entry. */
    public NetMatcher(String list) {
        for (String item : list.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.equalsIgnoreCase("local")) {
                local = true;
                continue;
            }
            int slash = item.indexOf('/');
            String addr = slash < 0 ? item : item.substring(0, slash);
            byte[] bytes = literal(addr.startsWith("[") && addr.endsWith("]") ? addr.substring(1, addr.length() - 1) : addr);
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(item.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad network: " + item);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length: " + item);
            }
            blocks.add(new Block(bytes, prefix));
        }
    }

    /** True when {@code address} (null for a local connection) is in one of the networks. */
    public boolean matches(InetAddress address) {
        if (address == null) {
            return local;
        }
        byte[] a = address.getAddress();
        for (Block b : blocks) {
            if (b.network.length == a.length && samePrefix(a, b.network, b.prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(byte[] a, byte[] n, int prefix) {
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] literal(String s) {
        // Only literals: refuse anything that would make InetAddress resolve a name.
        if (s.isEmpty() || !(s.indexOf(':') >= 0 || s.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("not an IP address: " + s);
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + s);
        }
    }
}
