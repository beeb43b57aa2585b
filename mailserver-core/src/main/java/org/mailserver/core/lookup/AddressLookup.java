package org.mailserver.core.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks an email address up the way Postfix does for address-valued maps (virtual(5) and canonical(5)
 * "TABLE SEARCH ORDER"): {@code user+ext@domain}, then {@code user@domain} without the extension, then,
 * for a local domain only, {@code user+ext} and {@code user}, then {@code @domain} (a catch-all).
 * The address extension starts at the first of the {@code recipient_delimiter} characters, unless the
 * local part starts with it. Used by address rewriting (virtual_alias_maps, canonical_maps).
 */
public final class AddressLookup {
    private AddressLookup() {
    }

    /** The keys to try, in order, without duplicates. */
    public static List<String> keys(String address, String delimiters, boolean localDomain) {
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        String domain = at < 0 ? "" : address.substring(at + 1);
        String base = stripExtension(local, delimiters);
        List<String> keys = new ArrayList<>();
        if (!domain.isEmpty()) {
            add(keys, local + "@" + domain);
            add(keys, base + "@" + domain);
        }
        if (localDomain || domain.isEmpty()) {
            add(keys, local);
            add(keys, base);
        }
        if (!domain.isEmpty()) {
            add(keys, "@" + domain);
        }
        return keys;
    }

    /** The first answer for {@link #keys}, or empty; a table failure is passed on. */
    public static Optional<String> find(LookupTable table, String address, String delimiters, boolean localDomain)
            throws LookupException {
        for (String key : keys(address, delimiters, localDomain)) {
            Optional<String> v = table.lookup(key);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** The local part without its extension ({@code user+ext} gives {@code user}). */
    public static String stripExtension(String local, String delimiters) {
        if (delimiters == null || delimiters.isEmpty()) {
            return local;
        }
        for (int i = 1; i < local.length(); i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0) {
                return local.substring(0, i);
            }
        }
        return local;
    }

    private static void add(List<String> keys, String key) {
        if (!key.isEmpty() && !keys.contains(key)) {
            keys.add(key);
        }
    }
}
