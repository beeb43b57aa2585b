package org.mailserver.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UidSetTest {

    @Test
    void agreesWithAHashSetAcrossGrowth() {
        UidSet set = new UidSet();
        Set<Long> expect = new HashSet<>();
        Random r = new Random(3);
        for (int i = 0; i < 50_000; i++) {
            long uid = 1 + (i % 3 == 0 ? r.nextInt(100_000) : (long) r.nextInt(Integer.MAX_VALUE) << 8);
            set.add(uid);
            expect.add(uid);
        }
        assertEquals(expect.size(), set.size());
        for (long uid : expect) {
            assertTrue(set.contains(uid));
        }
        for (int i = 0; i < 50_000; i++) {
            long probe = 1 + r.nextInt(200_000);
            assertEquals(expect.contains(probe), set.contains(probe), "uid " + probe);
        }
        assertFalse(set.contains(0));
        assertFalse(set.contains(-5));
        assertThrows(IllegalArgumentException.class, () -> set.add(0));
    }
}
