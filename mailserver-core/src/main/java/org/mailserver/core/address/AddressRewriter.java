package org.mailserver.core.address;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.mailserver.core.config.MapSettings;
import org.mailserver.core.config.Settings;
import org.mailserver.core.lookup.LookupTable;

/**
 * Envelope address rewriting done when a message is received, as Postfix's cleanup(8) does, so that
 * the queue file holds final recipients: {@code canonical_maps} (sender and recipients, one step),
 * then {@code virtual_alias_maps} (recursive, several targets, catch-all {@code @domain}), then for
 * {@code mydestination} domains {@code alias_maps} (by local part). {@code recipient_delimiter}
 * ({@code user+ext}) is honoured in lookups: {@code user+ext@d}, then {@code user@d} (the extension is
 * carried over to the result as Postfix's propagate_unmatched_extensions does), then {@code @d}.
 *
 * <p>Lookups may touch files: call from a blocking executor. Stateless apart from its tables; thread-safe.
 */
public final class AddressRewriter {

    /** Postfix virtual_alias_recursion_limit is 1000; real alias chains are a few levels deep. */
    public static final int RECURSION_LIMIT = 20;
    /** Postfix virtual_alias_expansion_limit. */
    public static final int EXPANSION_LIMIT = 1000;

    private final LocalDomains domains;
    private final LookupTable canonical;
    private final LookupTable virtualAlias;
    private final LookupTable aliases;
    private final String delimiters;

    public AddressRewriter(LocalDomains domains, LookupTable canonical, LookupTable virtualAlias,
                           LookupTable aliases, String delimiters) {
        this.domains = domains;
        this.canonical = canonical;
        this.virtualAlias = virtualAlias;
        this.aliases = aliases;
        this.delimiters = delimiters == null ? "" : delimiters;
    }

    public static AddressRewriter fromSettings(Settings s) {
        return new AddressRewriter(LocalDomains.fromSettings(s),
            AddressTables.open(s.getList("canonical_maps"), s.configDirectory()),
            AddressTables.open(s.getList("virtual_alias_maps"), s.configDirectory()),
            AddressTables.open(s.getList("alias_maps"), s.configDirectory()),
            s.getString("recipient_delimiter"));
    }

    public LocalDomains domains() {
        return domains;
    }

    /** The outcome of expanding one recipient. */
    public record Expansion(List<MailAddress> recipients, Failure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** Why an expansion failed. */
    public enum Failure {
        /** An alias refers back to itself through other aliases, or the chain is too deep. */
        LOOP,
        /** More than {@link #EXPANSION_LIMIT} addresses. */
        TOO_MANY,
        /** An alias target this server cannot deliver to (a {@code |command}, a {@code /file}, {@code :include:}). */
        UNSUPPORTED_TARGET,
        /** A target is not a valid address. */
        BAD_TARGET
    }

    /** False when no canonical_maps are configured: {@link #rewriteSender} is then pure computation (no I/O). */
    public boolean rewritesSenders() {
        return !canonical.neverMatches();
    }

    /** canonical_maps applied to a sender; the null sender stays null. */
    public MailAddress rewriteSender(MailAddress sender) {
        return canonical(sender);
    }

    /** canonical_maps, then virtual and local aliases, recursively. */
    public Expansion expandRecipient(MailAddress recipient) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<MailAddress> out = new ArrayList<>();
        Failure f = expand(canonical(recipient), 0, new ArrayList<>(), seen, out);
        return new Expansion(List.copyOf(out), f);
    }

    private Failure expand(MailAddress address, int depth, List<String> path, LinkedHashSet<String> seen,
                           List<MailAddress> out) {
        String key = address.toString().toLowerCase(java.util.Locale.ROOT);
        if (depth > RECURSION_LIMIT || path.contains(key)) {
            return Failure.LOOP;
        }
        Optional<List<String>> targets = aliasTargets(address);
        if (targets.isEmpty()) {
            if (seen.add(key)) {
                out.add(address);
            }
            return out.size() > EXPANSION_LIMIT ? Failure.TOO_MANY : null;
        }
        path.add(key);
        try {
            for (String t : targets.get()) {
                if (t.startsWith("|") || t.startsWith("/") || t.toLowerCase(java.util.Locale.ROOT).startsWith(":include:")) {
                    return Failure.UNSUPPORTED_TARGET;
                }
                MailAddress target;
                try {
                    target = MailAddress.parse(t);
                } catch (IllegalArgumentException e) {
                    return Failure.BAD_TARGET;
                }
                if (target.domain().isEmpty()) {
                    // aliases(5): a bare name is a user of the same local domain.
                    target = new MailAddress(target.localPart(), address.domain());
                }
                if (target.toString().equalsIgnoreCase(address.toString())) {
                    // Postfix: an address that lists itself is delivered as itself, not expanded again.
                    if (seen.add(key)) {
                        out.add(address);
                    }
                    continue;
                }
                Failure f = expand(target, depth + 1, path, seen, out);
                if (f != null) {
                    return f;
                }
            }
        } finally {
            path.remove(path.size() - 1);
        }
        return out.size() > EXPANSION_LIMIT ? Failure.TOO_MANY : null;
    }

    /** virtual_alias_maps, else alias_maps for mydestination domains; empty when neither matches. */
    private Optional<List<String>> aliasTargets(MailAddress a) {
        Optional<String> v = lookupAddress(virtualAlias, a, true);
        if (v.isEmpty() && domains.isMyDestination(a.domain())) {
            v = lookupLocalPart(aliases, a);
        }
        return v.map(MapSettings::splitList);
    }

    private MailAddress canonical(MailAddress a) {
        if (a == null) {
            return null;
        }
        Optional<String> v = lookupAddress(canonical, a, true);
        if (v.isEmpty()) {
            return a;
        }
        String r = v.get().trim();
        try {
            if (r.startsWith("@")) {
                return new MailAddress(a.localPart(), r.substring(1));
            }
            return MailAddress.parse(r);
        } catch (IllegalArgumentException e) {
            return a;
        }
    }

    /** {@code user+ext@d}, {@code user@d} (extension propagated), then {@code @d} when allowed. */
    private Optional<String> lookupAddress(LookupTable table, MailAddress a, boolean catchAll) {
        Optional<String> v = AddressTables.lookup(table, a.toString());
        if (v.isPresent()) {
            return v;
        }
        String[] split = splitExtension(a.localPart());
        if (split != null) {
            v = AddressTables.lookup(table, split[0] + "@" + a.domain());
            if (v.isPresent()) {
                return v.map(targets -> propagate(targets, split[1]));
            }
        }
        if (catchAll && !a.domain().isEmpty()) {
            return AddressTables.lookup(table, "@" + a.domain());
        }
        return Optional.empty();
    }

    private Optional<String> lookupLocalPart(LookupTable table, MailAddress a) {
        Optional<String> v = aliasLookup(table, a.localPart());
        if (v.isPresent()) {
            return v;
        }
        String[] split = splitExtension(a.localPart());
        if (split != null) {
            return aliasLookup(table, split[0]).map(targets -> propagate(targets, split[1]));
        }
        return Optional.empty();
    }

    /** aliases(5) files write {@code name: value}; a two-column table reads the key as {@code name:}. */
    private static Optional<String> aliasLookup(LookupTable table, String name) {
        Optional<String> v = AddressTables.lookup(table, name);
        return v.isPresent() ? v : AddressTables.lookup(table, name + ":");
    }

    /** Appends {@code +ext} to the local part of every plain address target. */
    private String propagate(String targets, String ext) {
        List<String> out = new ArrayList<>();
        for (String t : MapSettings.splitList(targets)) {
            int at = t.lastIndexOf('@');
            if (t.startsWith("|") || t.startsWith("/") || t.startsWith(":") || at == 0) {
                out.add(t);
            } else if (at < 0) {
                out.add(t + ext);
            } else {
                out.add(t.substring(0, at) + ext + t.substring(at));
            }
        }
        return String.join(", ", out);
    }

    /**
     * Splits {@code user+ext} at the first delimiter character: {@code [user, +ext]}, or null when
     * there is no extension.
     */
    public String[] splitExtension(String localPart) {
        if (delimiters.isEmpty()) {
            return null;
        }
        for (int i = 1; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) {
                return new String[] {localPart.substring(0, i), localPart.substring(i)};
            }
        }
        return null;
    }
}
