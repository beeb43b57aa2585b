package org.mailserver.core.auth.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One parsed snapshot of a Dovecot passwd-file. Format (one user per line, {@code #} comments, blank lines):
 * <pre>
 * user:password:uid:gid:gecos:home:shell:extra_fields
 * alice@example.test:{SHA512-CRYPT}$6$...:1000:1000::/home/alice::userdb_quota_rule=*:storage=1G
 * bob@example.test:{PLAIN}secret
 * </pre>
 * Trailing fields may be omitted. Everything after the seventh colon is the extra fields (so values may
 * contain colons), separated by spaces: {@code userdb_NAME=VALUE} is a userdb field, anything else a
 * passdb field ({@code nopassword}, {@code nologin}, {@code allow_nets=...}); a name without {@code =} is a
 * flag. A malformed line is reported with its line number and skipped; every other line keeps working.
 * A user listed twice keeps its first line (Dovecot does the same). Immutable once parsed.
 */
public final class PasswdFile {
    private static final Pattern ID = Pattern.compile("|[0-9]+|[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** A line that was skipped, and why (never contains the password). */
    public record Problem(int line, String message) {
    }

    /** One user's line. */
    public record Entry(String user, String password, String uid, String gid, String gecos, String home, String shell,
                        Map<String, String> passdbFields, Map<String, String> userdbFields, int line) {
    }

    private final Map<String, Entry> users;
    private final List<Problem> problems;

    private PasswdFile(Map<String, Entry> users, List<Problem> problems) {
        this.users = Collections.unmodifiableMap(users);
        this.problems = List.copyOf(problems);
    }

    /** Parses the file's text; {@code knownScheme} tells whether a {@code {SCHEME}} prefix is known. */
    public static PasswdFile parse(String text, Predicate<String> knownScheme) {
        Map<String, Entry> users = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            try {
                Entry e = parseLine(line, i + 1, knownScheme);
                if (users.putIfAbsent(UserVariables.normalizeDomain(e.user()), e) != null) {
                    problems.add(new Problem(i + 1, "user " + e.user() + " exists more than once, line ignored"));
                }
            } catch (IllegalArgumentException bad) {
                problems.add(new Problem(i + 1, bad.getMessage()));
            }
        }
        return new PasswdFile(users, problems);
    }

    private static Entry parseLine(String line, int number, Predicate<String> knownScheme) {
        String[] f = line.split(":", 8);
        String user = f[0];
        if (f.length < 2) {
            throw new IllegalArgumentException("no ':' after the user name");
        }
        if (user.isEmpty() || user.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("empty user name or user name with white space");
        }
        String password = f[1];
        if (password.startsWith("{")) {
            int end = password.indexOf('}');
            if (end < 0 || !knownScheme.test(password.substring(1, end))) {
                throw new IllegalArgumentException("user " + user + ": unknown password scheme "
                    + (end < 0 ? password.substring(0, Math.min(password.length(), 20)) : password.substring(0, end + 1)));
            }
        }
        String uid = field(f, 2);
        String gid = field(f, 3);
        if (!ID.matcher(uid).matches() || !ID.matcher(gid).matches()) {
            throw new IllegalArgumentException("user " + user + ": uid/gid must be a number or a system user name");
        }
        Map<String, String> passdb = new LinkedHashMap<>();
        Map<String, String> userdb = new LinkedHashMap<>();
        for (String extra : field(f, 7).trim().split("\\s+")) {
            if (extra.isEmpty()) {
                continue;
            }
            int eq = extra.indexOf('=');
            String name = eq < 0 ? extra : extra.substring(0, eq);
            String value = eq < 0 ? "" : extra.substring(eq + 1);
            if (!FIELD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("user " + user + ": bad extra field name \"" + name + "\"");
            }
            if (name.startsWith("userdb_")) {
                userdb.put(name.substring("userdb_".length()), value);
            } else {
                passdb.put(name, value);
            }
        }
        if (passdb.containsKey("allow_nets")) {
            try {
                new NetMatcher(passdb.get("allow_nets"));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("user " + user + ": allow_nets: " + bad.getMessage());
            }
        }
        return new Entry(user, password, uid, gid, field(f, 4), field(f, 5), field(f, 6), Collections.unmodifiableMap(passdb),
            Collections.unmodifiableMap(userdb), number);
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i] : "";
    }

    /** The entry for a user name (domain compared case-insensitively), or null. */
    public Entry find(String user) {
        return users.get(UserVariables.normalizeDomain(user));
    }

    public Map<String, Entry> users() {
        return users;
    }

    public List<Problem> problems() {
        return problems;
    }
}
