package org.mailserver.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.configuration2.interpol.ConfigurationInterpolator;

/**
 * Postfix parameter expansion for Commons Configuration: {@code $name}, {@code ${name}} and
 * {@code $(name)} expand to the named parameter's value (explicit or default), recursively;
 * {@code ${name?text}} expands to text when name is non-empty, {@code ${name:text}} when it is empty;
 * {@code $$} is a literal {@code $}. A reference to an undefined name expands to the empty string,
 * as in Postfix. Installed as the configuration's interpolator by {@link ConfigurationSettings}, so
 * Commons' own getters see expanded values too (its stock interpolator knows only {@code ${name}}).
 *
 * <p>A loop ({@code a = $b}, {@code b = $a}) is a {@link ConfigException} located at the first
 * parameter of the cycle: {@code main.cf:3: a: expansion loop: $a -> $b -> $a}.
 */
public final class PostfixInterpolator extends ConfigurationInterpolator {
    /** Guards against exponential expansion ({@code a=$b$b, b=$c$c, ...}); far above any real value. */
    private static final int MAX_LENGTH = 1 << 20;

    private final Function<String, String> raw;
    private final Function<String, String> location;

    /**
     * @param raw      a parameter's unexpanded value (explicit, else default), or null when undefined
     * @param location a parameter's {@code "file:line: "} prefix for messages, or {@code ""}
     */
    public PostfixInterpolator(Function<String, String> raw, Function<String, String> location) {
        this.raw = raw;
        this.location = location;
    }

    @Override
    public Object interpolate(Object value) {
        if (value instanceof String s) {
            return expand(s, new ArrayList<>());
        }
        return value;
    }

    @Override
    public Object resolve(String name) {
        return expandParameter(name);
    }

    /** The fully expanded value of a parameter, or null when it is neither set nor declared. */
    public String expandParameter(String name) {
        List<String> chain = new ArrayList<>();
        return reference(name, chain);
    }

    private String reference(String name, List<String> chain) {
        int seen = chain.indexOf(name);
        if (seen >= 0) {
            StringBuilder path = new StringBuilder();
            for (String n : chain.subList(seen, chain.size())) {
                path.append('$').append(n).append(" -> ");
            }
            path.append('$').append(name);
            throw new ConfigException(location.apply(name) + name + ": expansion loop: " + path);
        }
        String value = raw.apply(name);
        if (value == null) {
            return null;
        }
        chain.add(name);
        try {
            return expand(value, chain);
        } finally {
            chain.remove(chain.size() - 1);
        }
    }

    private String expand(String value, List<String> chain) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        String owner = chain.isEmpty() ? "" : chain.get(chain.size() - 1);
        String where = owner.isEmpty() ? "" : location.apply(owner) + owner + ": ";
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$' || i + 1 >= value.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = value.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{' || n == '(') {
                int close = matching(value, i + 1);
                if (close < 0) {
                    throw new ConfigException(where + "unbalanced '" + n + "' in \"" + value + "\"");
                }
                out.append(braced(value.substring(i + 2, close), chain, where, value));
                i = close + 1;
            } else if (isNameChar(n)) {
                int end = i + 1;
                while (end < value.length() && isNameChar(value.charAt(end))) {
                    end++;
                }
                String ref = reference(value.substring(i + 1, end), chain);
                out.append(ref == null ? "" : ref);
                i = end;
            } else {
                out.append(c); // a lone '$' before punctuation stays literal
                i++;
            }
            if (out.length() > MAX_LENGTH) {
                throw new ConfigException(where + "expansion longer than " + MAX_LENGTH + " characters");
            }
        }
        return out.toString();
    }

    /** {@code name}, {@code name?text} or {@code name:text} between the braces. */
    private String braced(String inner, List<String> chain, String where, String whole) {
        int op = 0;
        while (op < inner.length() && isNameChar(inner.charAt(op))) {
            op++;
        }
        String name = inner.substring(0, op);
        if (name.isEmpty()) {
            throw new ConfigException(where + "empty or bad parameter name in \"" + whole + "\"");
        }
        String ref = reference(name, chain);
        String value = ref == null ? "" : ref;
        if (op == inner.length()) {
            return value;
        }
        char kind = inner.charAt(op);
        String text = inner.substring(op + 1);
        if (kind == '?') {
            return value.isEmpty() ? "" : expand(text, chain);
        } else if (kind == ':') {
            return value.isEmpty() ? expand(text, chain) : "";
        }
        throw new ConfigException(where + "bad parameter name \"" + inner + "\" in \"" + whole + "\"");
    }

    /** The parameter names a value refers to ({@code $a}, {@code ${b?...}}, {@code $(c)}), for warnings. */
    public static java.util.Set<String> references(String value) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (int i = 0; i + 1 < value.length(); i++) {
            if (value.charAt(i) != '$') {
                continue;
            }
            int start = i + 1;
            if (value.charAt(start) == '$') {
                i++;
                continue;
            }
            if (value.charAt(start) == '{' || value.charAt(start) == '(') {
                start++;
            }
            int end = start;
            while (end < value.length() && isNameChar(value.charAt(end))) {
                end++;
            }
            if (end > start) {
                names.add(value.substring(start, end));
            }
        }
        return names;
    }

    /** The index of the bracket closing the one at {@code open}, honouring nesting, or -1. */
    private static int matching(String s, int open) {
        char o = s.charAt(open);
        char c = o == '{' ? '}' : ')';
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == o) {
                depth++;
            } else if (s.charAt(i) == c && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
