package org.mailserver.core.delivery;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.core.address.LocalDomains;
import org.mailserver.core.lookup.LookupException;
import org.mailserver.core.lookup.LookupTable;
import org.mailserver.core.lookup.LookupTables;

/** Routing order and the failure path: a table that cannot answer is an exception the queue manager defers on. */
@Timeout(10)
class RouterTest {
    private final LocalDomains domains = new LocalDomains(List.of("local.test"), List.of("hosted.test"));

    private static LookupTable map(Map<String, String> m) {
        return new LookupTable() {
            @Override
            public Optional<String> lookup(String key) {
                return Optional.ofNullable(m.get(key));
            }

            @Override
            public String spec() {
                return "test:map";
            }
        };
    }

    private static final LookupTable BROKEN = new LookupTable() {
        @Override
        public Optional<String> lookup(String key) throws LookupException {
            throw new LookupException("test:broken: file not found");
        }

        @Override
        public String spec() {
            return "test:broken";
        }
    };

    private static final LookupTable NONE = LookupTables.forParameter("transport_maps", "", null);

    @Test
    void routesByTransportMapsThenLocalDomainsThenRelayhost() throws Exception {
        Router r = new Router(domains, map(Map.of(".sub.test", "lmtp:[127.0.0.1]:24", "odd.test", ":[127.0.0.2]")),
            map(Map.of("@special.test", "[127.0.0.3]")), "[127.0.0.4]", "smtp");
        assertEquals(new Route("lmtp", "[127.0.0.1]:24"), r.route("a@x.sub.test", "s@x.test"));
        assertEquals(new Route("smtp", "[127.0.0.2]"), r.route("a@odd.test", "s@x.test"));
        assertEquals(new Route("local", "local.test"), r.route("a@LOCAL.test", "s@x.test"));
        assertEquals(new Route("local", "hosted.test"), r.route("a@hosted.test", ""));
        assertEquals(new Route("smtp", "[127.0.0.3]"), r.route("a@far.test", "me@special.test"));
        assertEquals(new Route("smtp", "[127.0.0.4]"), r.route("a@far.test", ""));
        assertEquals(new Route("smtp", "far.test"), new Router(domains, NONE, NONE, "", "smtp").route("a@far.test", null));
        assertEquals(new Route("smtp", ""), new Router(domains, NONE, NONE, "", "smtp").route("nodomain", null),
            "an address without a domain is never local");
    }

    @Test
    void aFailingTableIsALookupExceptionNotARoute() {
        Router r = new Router(domains, BROKEN, NONE, "", "smtp");
        assertEquals("test:broken: file not found",
            assertThrows(LookupException.class, () -> r.route("a@local.test", "")).getMessage());
        Router bySender = new Router(domains, NONE, BROKEN, "", "smtp");
        assertThrows(LookupException.class, () -> bySender.route("a@far.test", "s@x.test"));
        assertDoesNotThrow(() -> bySender.route("a@local.test", "s@x.test"), "local mail never consults the sender table");
    }
}
