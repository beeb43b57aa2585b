package org.mailserver.imap.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;

/** {@link Responses#flagListBytes} says exactly what {@link Responses#flagList} says, for every flag combination. */
@Timeout(10)
class ResponsesFlagBytesTest {

    @Test
    void everyCombinationWithAndWithoutRecentAndKeywords() {
        Flag[] all = Flag.values();
        for (int bits = 0; bits < 1 << all.length; bits++) {
            EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
            for (Flag f : all) {
                if ((bits & (1 << f.ordinal())) != 0) {
                    flags.add(f);
                }
            }
            for (boolean recent : new boolean[] {false, true}) {
                for (Set<String> kw : List.<Set<String>>of(Set.of(), new LinkedHashSet<>(List.of("$Junk", "ünï")))) {
                    MessageMeta m = new MessageMeta(7, flags, kw, 10, Instant.EPOCH, 3);
                    assertEquals(Responses.flagList(m, recent),
                        new String(Responses.flagListBytes(m, recent), StandardCharsets.UTF_8), flags + " " + recent + " " + kw);
                }
            }
        }
        assertEquals("(\\Seen \\Recent)", new String(Responses.flagListBytes(
            new MessageMeta(1, EnumSet.of(Flag.SEEN), Set.of(), 1, Instant.EPOCH, 1), true), StandardCharsets.US_ASCII));
    }
}
