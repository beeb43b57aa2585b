package org.mailserver.smtp.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.mailserver.core.config.ConfigException;

/**
 * A list of networks in Postfix {@code mynetworks} syntax: {@code 192.0.2.0/24}, {@code 192.0.2.1},
 * {@code [2001:db8::]/32}, {@code [::1]}. IPv4-mapped IPv6 client addresses match IPv4 networks.
 */
public final class NetworkList {

    private record Net(byte[] prefix, int bits) {
    }

    private final List<Net> nets = new ArrayList<>();

    public NetworkList(List<String> entries) {
        for (String e : entries) {
            nets.add(parse(e));
        }
    }

    private static Net parse(String entry) {
        String s = entry.trim();
        int slash = s.lastIndexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        try {
            if (!addr.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException();
            }
            byte[] bytes = InetAddress.getByName(addr).getAddress();
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException();
            }
            return new Net(bytes, bits);
        } catch (Exception ex) {
            throw new ConfigException("mynetworks: bad network \"" + entry + "\" (lookup tables here are not supported yet)");
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && isV4Mapped(a)) {
            a = java.util.Arrays.copyOfRange(a, 12, 16);
        }
        for (Net n : nets) {
            if (n.prefix.length == a.length && matches(n.prefix, a, n.bits)) {
                return true;
            }
        }
        return false;
    }

    /** True when some entry covers every address of its family (0.0.0.0/0, ::/0): anyone is "trusted". */
    public boolean coversEverybody() {
        return nets.stream().anyMatch(n -> n.bits == 0);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static boolean matches(byte[] prefix, byte[] a, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (prefix[i] != a[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (prefix[full] & mask) == (a[full] & mask);
    }
}
