package org.mailserver.imap.command;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailserver.imap.codec.SyntaxException;
import org.mailserver.storage.Flag;

/** A client flag list split into system flags and keywords (RFC 3501 2.3.2); \Recent cannot be set and is ignored. */
record Flags(Set<Flag> system, Set<String> keywords) {

    static Flags of(List<String> names) throws SyntaxException {
        Set<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> keywords = new LinkedHashSet<>();
        for (String n : names) {
            if (n.startsWith("\\")) {
                if (n.equalsIgnoreCase("\\Recent")) {
                    continue;
                }
                Flag f = Flag.fromImap(n);
                if (f == null) {
                    throw new SyntaxException("Invalid system flag " + n);
                }
                system.add(f);
            } else {
                keywords.add(n);
            }
        }
        return new Flags(system, keywords);
    }
}
