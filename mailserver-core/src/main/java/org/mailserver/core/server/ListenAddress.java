package org.mailserver.core.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;

/**
 * The listen-address column of master.cf, resolved to the socket addresses to bind:
 * {@code host:port}, {@code [v6addr]:port}, {@code *:port}, a bare {@code port} (bound on each address
 * of {@code inet_interfaces}: {@code all}, {@code loopback-only} or a list), or {@code unix:/path}
 * (a relative path resolves against the configuration directory).
 */
public final class ListenAddress {
    private ListenAddress() {
    }

    public static List<SocketAddress> resolve(String address, Settings settings) {
        String a = address.trim();
        if (a.startsWith("unix:")) {
            String file = a.substring(5);
            if (file.isEmpty()) {
                throw new ConfigException("listen address \"" + address + "\": empty unix socket path");
            }
            Path path = Path.of(file);
            if (!path.isAbsolute() && settings.configDirectory() != null) {
                path = settings.configDirectory().resolve(path);
            }
            return List.of(UnixDomainSocketAddress.of(path));
        }
        String host;
        String port;
        if (a.startsWith("[")) {
            int close = a.indexOf("]:");
            if (close < 0) {
                throw new ConfigException("listen address \"" + address + "\": expected [address]:port");
            }
            host = a.substring(1, close);
            port = a.substring(close + 2);
        } else if (a.indexOf(':') >= 0) {
            int colon = a.lastIndexOf(':');
            host = a.substring(0, colon);
            port = a.substring(colon + 1);
        } else {
            host = null;
            port = a;
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new ConfigException("listen address \"" + address + "\": bad port \"" + port + "\"");
        }
        if (number < 0 || number > 65535) {
            throw new ConfigException("listen address \"" + address + "\": port out of range");
        }
        List<SocketAddress> out = new ArrayList<>();
        if (host == null) {
            for (String iface : settings.getList("inet_interfaces")) {
                out.addAll(interfaceAddresses(iface, number, address));
            }
            if (out.isEmpty()) {
                out.add(new InetSocketAddress(number));
            }
        } else if (host.equals("*") || host.isEmpty()) {
            out.add(new InetSocketAddress(number));
        } else {
            out.add(new InetSocketAddress(literal(host, address), number));
        }
        return out;
    }

    private static List<SocketAddress> interfaceAddresses(String iface, int port, String address) {
        switch (iface) {
            case "all":
                return List.of(new InetSocketAddress(port));
            case "loopback-only":
                return List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            default:
                String h = iface.startsWith("[") && iface.endsWith("]") ? iface.substring(1, iface.length() - 1) : iface;
                return List.of(new InetSocketAddress(literal(h, address), port));
        }
    }

    private static InetAddress literal(String host, String address) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException("listen address \"" + address + "\": unknown host \"" + host + "\"");
        }
    }
}
