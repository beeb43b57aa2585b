package org.mailserver.core.lookup;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class AddressLookupTest {

    @Test
    void virtualSearchOrder() {
        assertEquals(List.of("user+ext@example.test", "user@example.test", "@example.test"),
            AddressLookup.keys("user+ext@example.test", "+", false));
        assertEquals(List.of("user-ext@example.test", "user@example.test", "user-ext", "user", "@example.test"),
            AddressLookup.keys("user-ext@example.test", "+-", true));
        assertEquals(List.of("+weird@example.test", "@example.test"), AddressLookup.keys("+weird@example.test", "+", false),
            "a local part that starts with the delimiter has no extension");
        assertEquals(List.of("postmaster"), AddressLookup.keys("postmaster", "+", false));
    }

    @Test
    void findsTheMostSpecificEntry() throws LookupException {
        LookupTable t = LookupTables.open("inline:{ user@example.test=exact, @example.test=catchall, bob=local }", Path.of("."));
        assertEquals(Optional.of("exact"), AddressLookup.find(t, "user+tag@example.test", "+", false));
        assertEquals(Optional.of("catchall"), AddressLookup.find(t, "other@example.test", "+", false));
        assertEquals(Optional.of("catchall"), AddressLookup.find(t, "bob@example.test", "+", false));
        assertEquals(Optional.of("local"), AddressLookup.find(t, "bob@example.test", "+", true));
        assertEquals(Optional.empty(), AddressLookup.find(t, "x@elsewhere.test", "+", false));
    }
}
