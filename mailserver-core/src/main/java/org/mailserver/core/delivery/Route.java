package org.mailserver.core.delivery;

/**
 * Where a recipient goes: a transport and its next hop, as Postfix writes {@code transport:nexthop}
 * ({@code smtp:[relay.example]:587}, {@code local:example.org}, {@code error:5.1.1 no such user}).
 * Routes with equal transport and next hop share a destination queue and its concurrency limit.
 */
public record Route(String transport, String nexthop) {

    /** Parses {@code transport:nexthop}; the next hop may be empty ({@code discard:}). */
    public static Route parse(String value, String defaultNexthop) {
        String v = value.trim();
        int colon = v.indexOf(':');
        String transport = colon < 0 ? v : v.substring(0, colon);
        String nexthop = colon < 0 ? "" : v.substring(colon + 1);
        if (nexthop.isEmpty()) {
            nexthop = defaultNexthop;
        }
        return new Route(transport, nexthop);
    }

    /** The destination key used for concurrency and logging. */
    public String key() {
        return transport + ":" + nexthop;
    }
}
