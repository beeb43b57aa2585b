package org.mailserver.storage.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mailserver.storage.SpecialUse;
import org.mailserver.storage.support.MailboxState;

/** One in-memory mailbox: the shared state plus the message bytes and its special-use attributes. */
final class MemoryFolder extends MailboxState {
    /** UID to message bytes (CRLF, as appended); guarded by the state lock. */
    final Map<Long, byte[]> contents = new HashMap<>();
    final Set<SpecialUse> specialUse;

    MemoryFolder(String name, long uidValidity, Set<SpecialUse> specialUse) {
        super(name, uidValidity);
        this.specialUse = specialUse == null ? Set.of() : Set.copyOf(specialUse);
    }

    long bytes() {
        lock();
        try {
            long sum = 0;
            for (byte[] b : contents.values()) {
                sum += b.length;
            }
            return sum;
        } finally {
            unlock();
        }
    }
}
