package org.mailserver.core.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where a master.cf listener listens: an internet address and port, or a unix-domain socket.
 * Written as {@code host:port}, {@code [v6]:port}, {@code *:port} (the wildcard address, whatever
 * {@code inet_interfaces} says), {@code :port} or a bare port (meaning every address of
 * {@code inet_interfaces}), or {@code unix:/path}. A port may be a number (0 = any free port, for
 * tests) or a well-known service name (smtp, submission, submissions, imap, imaps, lmtp).
 */
public sealed interface ListenAddress permits ListenAddress.Inet, ListenAddress.Unix {

    /**
     * An internet listener.
     *
     * @param host an address literal, a host name, {@code "*"} for the wildcard address, or null for the
     *             addresses of {@code inet_interfaces}
     * @param port 0..65535
     */
    record Inet(String host, int port) implements ListenAddress {
        /** The master.cf form: a bare port when the host comes from inet_interfaces. */
        @Override
        public String toString() {
            if (host == null) {
                return Integer.toString(port);
            }
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A unix-domain socket; a relative path is relative to {@code data_directory}. */
    record Unix(Path path) implements ListenAddress {
        /** The socket path, resolved against {@code base} (data_directory) when relative. */
        public Path resolve(Path base) {
            return path.isAbsolute() ? path : base.resolve(path);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    Map<String, Integer> SERVICE_PORTS = Map.of(
        "smtp", 25, "submission", 587, "submissions", 465, "smtps", 465,
        "imap", 143, "imaps", 993, "lmtp", 24);

    /** Parses the master.cf address column; the message of the exception says what is wrong. */
    static ListenAddress parse(String s) {
        if (s.startsWith("unix:")) {
            String path = s.substring(5);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("missing socket path after unix:");
            }
            return new Unix(Path.of(path));
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [ipv6-address]:port");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
            if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                || host.indexOf(':') < 0) {
                throw new IllegalArgumentException("bad IPv6 address \"" + host + "\"");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("an IPv6 address must be written in brackets: [addr]:port");
            }
            host = colon < 0 ? "" : s.substring(0, colon);
            port = colon < 0 ? s : s.substring(colon + 1);
            if (!host.isEmpty() && !host.equals("*") && !host.matches("[A-Za-z0-9.-]+")) {
                throw new IllegalArgumentException("bad host \"" + host + "\"");
            }
        }
        return new Inet(host.isEmpty() ? null : host.toLowerCase(Locale.ROOT), port(port));
    }

    private static int port(String p) {
        Integer known = SERVICE_PORTS.get(p.toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad port \"" + p + "\"");
        }
        int n = Integer.parseInt(p);
        if (n > 65535) {
            throw new IllegalArgumentException("port out of range: " + n);
        }
        return n;
    }
}
