package org.mailserver.core.lookup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.LogicalLineReader;

/**
 * {@code regexp:} and {@code pcre:} tables in Postfix's regexp_table(5) / pcre_table(5) syntax, read
 * from a file and reloaded when it changes:
 * <pre>
 *   /pattern/flags result        the first match wins; result may use $1..$9, ${n}, $$
 *   !/pattern/flags result       matches when the pattern does not ($n not allowed)
 *   if /pattern/flags            rules up to the matching endif apply only when it matches
 *   endif
 * </pre>
 * Flags: {@code i} toggles case-insensitivity (on by default), {@code m} multi-line, {@code x}
 * extended syntax (pcre only; POSIX patterns are always extended here), {@code s} dot-all (pcre).
 * Any non-alphanumeric character may delimit the pattern. Patterns are Java regular expressions,
 * which accept the POSIX extended syntax that regexp tables are written in. Matching searches the
 * key (unanchored), as regexec(3) does.
 */
final class RegexpTable implements LookupTable {

    private sealed interface Rule permits Match, Block {
    }

    private record Match(Pattern pattern, boolean negated, String result) implements Rule {
    }

    private record Block(Pattern pattern, boolean negated, List<Rule> rules) implements Rule {
    }

    private final String spec;
    private final ReloadingFile<List<Rule>> rules;

    RegexpTable(String spec, Path file, boolean pcre, Duration checkInterval) {
        this.spec = spec;
        this.rules = new ReloadingFile<>(file, f -> parse(f, pcre), checkInterval);
    }

    @Override
    public Optional<String> lookup(String key) throws LookupException {
        return Optional.ofNullable(search(rules.current(), key));
    }

    @Override
    public String spec() {
        return spec;
    }

    private static String search(List<Rule> list, String key) {
        for (Rule rule : list) {
            if (rule instanceof Match m) {
                Matcher matcher = m.pattern().matcher(key);
                if (matcher.find() != m.negated()) {
                    return m.negated() ? m.result() : substitute(m.result(), matcher);
                }
            } else if (rule instanceof Block b && b.pattern().matcher(key).find() != b.negated()) {
                String r = search(b.rules(), key);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    private static String substitute(String result, Matcher m) {
        if (result.indexOf('$') < 0) {
            return result;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < result.length(); i++) {
            char c = result.charAt(i);
            int[] ref = c == '$' ? groupRef(result, i) : null;
            if (ref == null) {
                out.append(c);
                if (c == '$' && i + 1 < result.length() && result.charAt(i + 1) == '$') {
                    i++;
                }
                continue;
            }
            String g = m.group(ref[0]);
            out.append(g == null ? "" : g);
            i = ref[1] - 1;
        }
        return out.toString();
    }

    /** For {@code $n}, {@code ${n}} or {@code $(n)} at {@code i}: {group, end index}; else null. */
    private static int[] groupRef(String s, int i) {
        if (i + 1 >= s.length()) {
            return null;
        }
        char n = s.charAt(i + 1);
        if (Character.isDigit(n)) {
            return new int[] {n - '0', i + 2};
        }
        if ((n == '{' || n == '(') && i + 3 < s.length() && Character.isDigit(s.charAt(i + 2))) {
            int end = i + 2;
            while (end < s.length() && Character.isDigit(s.charAt(end))) {
                end++;
            }
            char close = n == '{' ? '}' : ')';
            if (end < s.length() && s.charAt(end) == close) {
                return new int[] {Integer.parseInt(s.substring(i + 2, end)), end + 1};
            }
        }
        return null;
    }

    static List<Rule> parse(Path file, boolean pcre) {
        List<Rule> top = new ArrayList<>();
        Deque<List<Rule>> open = new ArrayDeque<>();
        Deque<Integer> openLines = new ArrayDeque<>();
        open.push(top);
        for (LogicalLineReader.LogicalLine line : LogicalLineReader.readAll(file)) {
            String where = file + ":" + line.line() + ": ";
            String text = line.text();
            if (text.equals("endif")) {
                if (open.size() == 1) {
                    throw new ConfigException(where + "endif without if");
                }
                open.pop();
                openLines.pop();
                continue;
            }
            boolean isIf = text.startsWith("if") && text.length() > 2 && Character.isWhitespace(text.charAt(2));
            String rest = isIf ? text.substring(2).strip() : text;
            boolean negated = rest.startsWith("!");
            if (negated) {
                rest = rest.substring(1).strip();
            }
            int[] end = new int[1];
            Pattern pattern = pattern(where, rest, pcre, end);
            String result = rest.substring(end[0]).strip();
            if (isIf) {
                if (!result.isEmpty()) {
                    throw new ConfigException(where + "unexpected text after if pattern: \"" + result + "\"");
                }
                List<Rule> body = new ArrayList<>();
                open.peek().add(new Block(pattern, negated, body));
                open.push(body);
                openLines.push(line.line());
                continue;
            }
            if (result.isEmpty()) {
                throw new ConfigException(where + "no replacement text after pattern");
            }
            checkReferences(where, result, negated ? 0 : pattern.matcher("").groupCount());
            open.peek().add(new Match(pattern, negated, result));
        }
        if (open.size() > 1) {
            throw new ConfigException(file + ":" + openLines.peek() + ": if without endif");
        }
        return top;
    }

    /** Parses {@code /pattern/flags} at the start of {@code s}; stores the index after the flags in end[0]. */
    private static Pattern pattern(String where, String s, boolean pcre, int[] end) {
        if (s.isEmpty() || Character.isLetterOrDigit(s.charAt(0)) || s.charAt(0) == '\\') {
            throw new ConfigException(where + "expected /pattern/ at \"" + abbreviate(s) + "\"");
        }
        char delimiter = s.charAt(0);
        StringBuilder regex = new StringBuilder();
        int i = 1;
        while (i < s.length() && s.charAt(i) != delimiter) {
            if (s.charAt(i) == '\\' && i + 1 < s.length() && s.charAt(i + 1) == delimiter) {
                i++; // an escaped delimiter is the delimiter character itself
            }
            regex.append(s.charAt(i));
            i++;
        }
        if (i >= s.length()) {
            throw new ConfigException(where + "missing closing '" + delimiter + "' in \"" + abbreviate(s) + "\"");
        }
        i++;
        boolean caseless = true;
        int flags = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            char f = s.charAt(i++);
            switch (f) {
                case 'i' -> caseless = !caseless;
                case 'm' -> flags ^= Pattern.MULTILINE;
                case 'x' -> flags ^= pcre ? Pattern.COMMENTS : 0;
                case 's' -> {
                    if (!pcre) {
                        throw new ConfigException(where + "unknown regexp flag 's' (pcre: only)");
                    }
                    flags ^= Pattern.DOTALL;
                }
                default -> throw new ConfigException(where + "unknown regexp flag '" + f + "'");
            }
        }
        end[0] = i;
        if (caseless) {
            flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        try {
            return Pattern.compile(regex.toString(), flags);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(where + "bad pattern /" + regex + "/: " + e.getDescription());
        }
    }

    private static void checkReferences(String where, String result, int groups) {
        for (int i = 0; i < result.length(); i++) {
            if (result.charAt(i) != '$') {
                continue;
            }
            if (i + 1 < result.length() && result.charAt(i + 1) == '$') {
                i++;
                continue;
            }
            int[] ref = groupRef(result, i);
            if (ref != null && ref[0] > groups) {
                throw new ConfigException(where + "$" + ref[0] + " in \"" + result + "\" but the pattern has "
                    + (groups == 0 ? "no" : "only " + groups) + " group" + (groups == 1 ? "" : "s")
                    + (groups == 0 ? " (or is negated)" : ""));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
