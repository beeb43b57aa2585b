package org.mailserver.storage.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;

/** {@link MailboxState#loadAscending} ends in the same state as {@link MailboxState#load}, in every case. */
@Timeout(10)
class MailboxStateLoadTest {

    private static List<MessageMeta> metas(long seed, int n, boolean shuffle) {
        Random r = new Random(seed);
        List<MessageMeta> out = new ArrayList<>();
        long uid = 0;
        for (int i = 0; i < n; i++) {
            uid += 1 + r.nextInt(3);
            EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
            if (r.nextBoolean()) {
                flags.add(Flag.SEEN);
            }
            Set<String> kw = r.nextInt(4) == 0 ? Set.of("$Label" + r.nextInt(3)) : Set.of();
            out.add(new MessageMeta(uid, flags, kw, 100, Instant.EPOCH, 1 + r.nextInt(50)));
        }
        if (shuffle) {
            java.util.Collections.shuffle(out, r);
        }
        return out;
    }

    private static void assertSameState(MailboxState a, MailboxState b) {
        assertEquals(List.copyOf(a.view().values()), List.copyOf(b.view().values()));
        assertArrayEquals(a.uids(), b.uids());
        assertEquals(a.unseenCount(), b.unseenCount());
        assertEquals(a.firstUnseen(), b.firstUnseen());
        assertEquals(a.keywordsInUse(), b.keywordsInUse());
        assertEquals(a.uidNext(), b.uidNext());
        assertEquals(a.highestModSeq(), b.highestModSeq());
    }

    @Test
    void sameStateAsOneByOne() {
        for (int n : new int[] {0, 1, 2, 7, 1000}) {
            for (boolean shuffle : new boolean[] {false, true}) {
                List<MessageMeta> ms = metas(n, n, shuffle);
                MailboxState one = new MailboxState("INBOX", 1);
                one.load(ms);
                MailboxState bulk = new MailboxState("INBOX", 1);
                bulk.loadAscending(ms);
                assertSameState(one, bulk);
                // later changes behave the same on both
                List<MessageMeta> more = List.of(new MessageMeta(5000, EnumSet.noneOf(Flag.class), Set.of("x"), 1, Instant.EPOCH, 99));
                one.load(more);
                bulk.load(more);
                if (n > 0) {
                    long first = one.uids()[0];
                    one.expunged(List.of(first), 100);
                    bulk.expunged(List.of(first), 100);
                }
                assertSameState(one, bulk);
            }
        }
    }

    @Test
    void aStateThatHasMessagesLoadsOneByOne() {
        MailboxState one = new MailboxState("INBOX", 1);
        MailboxState bulk = new MailboxState("INBOX", 1);
        List<MessageMeta> first = metas(1, 10, false);
        one.load(first);
        bulk.load(first);
        List<MessageMeta> overlap = metas(1, 20, false);
        one.load(overlap);
        bulk.loadAscending(overlap);
        assertSameState(one, bulk);
    }
}
