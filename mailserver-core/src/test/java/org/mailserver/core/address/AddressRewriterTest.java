package org.mailserver.core.address;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailserver.core.lookup.LookupException;
import org.mailserver.core.lookup.LookupTable;

class AddressRewriterTest {

    private static LookupTable table(Map<String, String> m) {
        return new LookupTable() {
            @Override
            public Optional<String> lookup(String key) {
                return Optional.ofNullable(m.get(key.toLowerCase()));
            }

            @Override
            public String spec() {
                return "test:map";
            }
        };
    }

    private final LocalDomains domains = new LocalDomains(List.of("mx.example.org", "localhost"), List.of("example.com"));

    private AddressRewriter rewriter(Map<String, String> canonical, Map<String, String> virtual, Map<String, String> aliases) {
        return new AddressRewriter(domains, table(canonical), table(virtual), table(aliases), "+");
    }

    private static List<String> expand(AddressRewriter r, String a) {
        AddressRewriter.Expansion e = r.expandRecipient(MailAddress.parse(a));
        assertTrue(e.ok(), "failed: " + e.failure());
        return e.recipients().stream().map(MailAddress::toString).toList();
    }

    @Test
    void virtualAliasesRecurseWithSeveralTargetsAndCatchAll() {
        AddressRewriter r = rewriter(Map.of(), Map.of(
            "team@example.com", "alice@example.com, sales@example.com",
            "sales@example.com", "bob@example.com, sales@example.com",
            "@example.net", "alice@example.com"), Map.of());
        assertEquals(List.of("alice@example.com", "bob@example.com", "sales@example.com"), expand(r, "team@example.com"));
        assertEquals(List.of("alice@example.com"), expand(r, "whoever@example.net"));
        assertEquals(List.of("carol@example.com"), expand(r, "carol@example.com"));
    }

    @Test
    void loopsAreDetected() {
        AddressRewriter r = rewriter(Map.of(), Map.of("a@example.com", "b@example.com", "b@example.com", "a@example.com"), Map.of());
        assertEquals(AddressRewriter.Failure.LOOP, r.expandRecipient(MailAddress.parse("a@example.com")).failure());
    }

    @Test
    void extensionIsPropagatedAndAliasesApplyToMydestinationOnly() {
        AddressRewriter r = rewriter(Map.of(), Map.of("list@example.com", "alice@example.com"),
            Map.of("postmaster", "root", "root", "admin@example.com", "pipe", "|/bin/evil"));
        assertEquals(List.of("alice+x@example.com"), expand(r, "list+x@example.com"));
        assertEquals(List.of("admin@example.com"), expand(r, "postmaster@mx.example.org"));
        assertEquals(List.of("postmaster@example.com"), expand(r, "postmaster@example.com"));
        assertEquals(AddressRewriter.Failure.UNSUPPORTED_TARGET, r.expandRecipient(MailAddress.parse("pipe@localhost")).failure());
    }

    @Test
    void canonicalMapsRewriteSenderAndRecipient() {
        AddressRewriter r = rewriter(Map.of("old@example.com", "new@example.com", "@legacy.example", "@example.com"), Map.of(), Map.of());
        assertEquals("new@example.com", r.rewriteSender(MailAddress.parse("old@example.com")).toString());
        assertEquals(List.of("joe@example.com"), expand(r, "joe@legacy.example"));
    }

    @Test
    void addressSyntax() {
        assertEquals("\"a b\"@example.com", MailAddress.parse("\"a b\"@example.com").toString());
        assertThrows(IllegalArgumentException.class, () -> MailAddress.parse("a..b@example.com"));
        assertThrows(IllegalArgumentException.class, () -> MailAddress.parse("a@exa mple.com"));
        assertThrows(IllegalArgumentException.class, () -> MailAddress.parse("@example.com"));
        assertTrue(domains.isLocal(MailAddress.parse("x@EXAMPLE.com")));
        assertFalse(domains.isLocal(MailAddress.parse("x@example.net")));
    }

    @Test
    void inlineAndStaticTables() throws Exception {
        LookupTable t = AddressTables.open("inline:{ a@x=b@y, { c@x = 554 no way } }, static:fallback", null);
        assertEquals(Optional.of("b@y"), t.lookup("A@X"));
        assertEquals(Optional.of("554 no way"), t.lookup("c@x"));
        assertEquals(Optional.of("fallback"), t.lookup("zzz"));
    }

    @Test
    void aTableThatCannotAnswerIsATableFailureNamingTheTable() {
        LookupTable broken = new LookupTable() {
            @Override
            public Optional<String> lookup(String key) throws LookupException {
                throw new LookupException("file not found");
            }

            @Override
            public String spec() {
                return "hash:/etc/mailserver/virtual";
            }
        };
        AddressRewriter r = new AddressRewriter(domains, table(Map.of()), broken, table(Map.of()), "+");
        assertEquals("hash:/etc/mailserver/virtual: file not found", assertThrows(AddressTables.TableFailure.class,
            () -> r.expandRecipient(MailAddress.parse("a@example.com"))).getMessage());
    }
}
