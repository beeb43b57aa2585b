package org.mailserver.core.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.ListenAddress;
import org.mailserver.core.config.Settings;

/**
 * A master.cf {@link ListenAddress} turned into the socket addresses to bind: a host is resolved
 * ({@code *} means every address), no host means each address of {@code inet_interfaces}
 * ({@code all}, {@code loopback-only} or a list), and a relative unix socket path resolves against
 * {@code data_directory}.
 */
public final class SocketAddresses {
    private SocketAddresses() {
    }

    public static List<SocketAddress> resolve(ListenAddress address, Settings settings) {
        if (address instanceof ListenAddress.Unix unix) {
            return List.of(UnixDomainSocketAddress.of(unix.resolve(settings.getPath("data_directory"))));
        }
        ListenAddress.Inet inet = (ListenAddress.Inet) address;
        int port = inet.port();
        List<SocketAddress> out = new ArrayList<>();
        if (inet.host() == null) {
            for (String iface : settings.getList("inet_interfaces")) {
                out.add(interfaceAddress(iface, port, address));
            }
            if (out.isEmpty()) {
                out.add(new InetSocketAddress(port));
            }
        } else if (inet.host().equals("*")) {
            out.add(new InetSocketAddress(port));
        } else {
            out.add(new InetSocketAddress(literal(inet.host(), address), port));
        }
        return out;
    }

    private static SocketAddress interfaceAddress(String iface, int port, ListenAddress address) {
        switch (iface) {
            case "all":
                return new InetSocketAddress(port);
            case "loopback-only":
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            default:
                String h = iface.startsWith("[") && iface.endsWith("]") ? iface.substring(1, iface.length() - 1) : iface;
                return new InetSocketAddress(literal(h, address), port);
        }
    }

    private static InetAddress literal(String host, ListenAddress address) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException("listen address \"" + address + "\": unknown host \"" + host + "\"");
        }
    }

    /** {@code 127.0.0.1:25}, {@code [::1]:25} or {@code unix:/path}, as logs and status print addresses. */
    public static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        return "unix:" + address.toString().replaceFirst("^[^/]*", "");
    }
}
