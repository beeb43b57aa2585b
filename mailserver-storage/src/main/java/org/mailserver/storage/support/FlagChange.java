package org.mailserver.storage.support;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.mailserver.storage.Flag;
import org.mailserver.storage.Mailbox.StoreMode;

/**
 * The arithmetic of IMAP STORE (RFC 3501 6.4.6): FLAGS replaces, +FLAGS adds, -FLAGS removes.
 * Keywords compare case-insensitively (RFC 3501 2.3.2 flags are case-insensitive) and keep the
 * spelling they were first stored with.
 */
public final class FlagChange {
    private FlagChange() {
    }

    public static Set<Flag> apply(StoreMode mode, Set<Flag> current, Set<Flag> given) {
        EnumSet<Flag> out = current.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(current);
        switch (mode) {
            case REPLACE -> {
                out.clear();
                out.addAll(given);
            }
            case ADD -> out.addAll(given);
            case REMOVE -> out.removeAll(given);
        }
        return Collections.unmodifiableSet(out);
    }

    public static Set<String> applyKeywords(StoreMode mode, Set<String> current, Set<String> given) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        switch (mode) {
            case REPLACE -> addAll(out, given);
            case ADD -> {
                addAll(out, current);
                addAll(out, given);
            }
            case REMOVE -> {
                for (String k : current) {
                    if (!containsIgnoreCase(given, k)) {
                        out.add(k);
                    }
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** An immutable copy with case-insensitive duplicates removed. */
    public static Set<String> keywords(Set<String> given) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        addAll(out, given == null ? Set.of() : given);
        return Collections.unmodifiableSet(out);
    }

    public static Set<Flag> flags(Set<Flag> given) {
        return given == null || given.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(given));
    }

    /** Same flags and keywords (keywords compared case-insensitively). */
    public static boolean sameKeywords(Set<String> a, Set<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (String k : a) {
            if (!containsIgnoreCase(b, k)) {
                return false;
            }
        }
        return true;
    }

    private static void addAll(Set<String> out, Set<String> more) {
        for (String k : more) {
            if (!containsIgnoreCase(out, k)) {
                out.add(k);
            }
        }
    }

    private static boolean containsIgnoreCase(Set<String> set, String k) {
        for (String s : set) {
            if (s.equalsIgnoreCase(k)) {
                return true;
            }
        }
        return false;
    }
}
