package org.mailserver.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * master.cf: the listeners. One per logical line, three columns then options:
 * <pre>
 *   # service   protocol  address            options
 *   smtp        smtp      :25
 *   submissions smtp      0.0.0.0:465        -o smtpd_tls_wrappermode=yes
 *     -o smtpd_sasl_auth_enable=yes
 *   imaps       imap      [::]:993           -o imap_tls_wrappermode=yes
 *   lmtp        lmtp      unix:lmtp
 * </pre>
 * Comments and continuation lines as in main.cf ({@link LogicalLineReader}). Options are
 * {@code -o name=value} (or {@code -o { name = value with spaces }}, as in Postfix 3), overriding main.cf
 * for that listener only. The address syntax is in {@link ListenAddress}.
 *
 * <p>A malformed line, an unknown protocol, a duplicate service name or an override value that does not
 * parse by its type is a {@link ConfigException} naming {@code file:line}; an override of an unknown
 * parameter is a warning with the nearest known name. Called by the daemon at start and reload.
 */
public final class MasterCf {
    private static final Logger log = LoggerFactory.getLogger(MasterCf.class);
    public static final String FILE_NAME = "master.cf";
    /** The protocol column's vocabulary: the protocols whose handlers the daemon has. */
    public static final Set<String> PROTOCOLS = Set.of("smtp", "lmtp", "imap");

    private final Path file;
    private final List<ListenerDefinition> listeners;
    private final List<String> warnings;

    private MasterCf(Path file, List<ListenerDefinition> listeners, List<String> warnings) {
        this.file = file;
        this.listeners = List.copyOf(listeners);
        this.warnings = List.copyOf(warnings);
    }

    /** Reads {@code configDir/master.cf}; logs and keeps the warnings. */
    public static MasterCf load(Path configDir) {
        Path file = configDir.resolve(FILE_NAME);
        MasterCf cf = parse(file, LogicalLineReader.readAll(file));
        cf.warnings.forEach(w -> log.warn("warning: {}", w));
        return cf;
    }

    static MasterCf parse(Path file, List<LogicalLineReader.LogicalLine> lines) {
        List<ListenerDefinition> listeners = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (LogicalLineReader.LogicalLine line : lines) {
            String at = file + ":" + line.line() + ": ";
            List<String> tokens = tokenize(at, line.text());
            if (tokens.size() < 3) {
                throw new ConfigException(at + "expected: service protocol address [-o name=value ...]");
            }
            String service = tokens.get(0);
            if (!service.matches("[A-Za-z0-9._-]+")) {
                throw new ConfigException(at + "bad service name \"" + service + "\"");
            }
            Integer first = seen.putIfAbsent(service, line.line());
            if (first != null) {
                throw new ConfigException(at + service + ": duplicate service name (also at line " + first + ")");
            }
            String protocol = tokens.get(1);
            if (!PROTOCOLS.contains(protocol)) {
                String hint = protocol.equals("inet") || protocol.equals("unix") || protocol.equals("pass")
                    ? "; this looks like Postfix's master.cf, ours is: service protocol address [-o name=value ...]"
                    : "";
                throw new ConfigException(at + service + ": unknown protocol \"" + protocol
                    + "\" (use smtp, lmtp or imap)" + hint);
            }
            ListenAddress address;
            try {
                address = ListenAddress.parse(tokens.get(2));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at + service + ": bad address \"" + tokens.get(2) + "\": " + e.getMessage());
            }
            Map<String, String> overrides = options(at, service, tokens.subList(3, tokens.size()), warnings);
            listeners.add(new ListenerDefinition(service, protocol, address, overrides, file, line.line()));
        }
        return new MasterCf(file, listeners, warnings);
    }

    private static Map<String, String> options(String at, String service, List<String> tokens, List<String> warnings) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String option;
            if (t.equals("-o")) {
                if (i + 1 >= tokens.size()) {
                    throw new ConfigException(at + service + ": -o without name=value");
                }
                option = tokens.get(++i);
            } else if (t.startsWith("-o")) {
                option = t.substring(2);
            } else {
                throw new ConfigException(at + service + ": unexpected \"" + t + "\" (only -o name=value options)");
            }
            if (option.startsWith("{") && option.endsWith("}")) {
                option = option.substring(1, option.length() - 1).strip();
            }
            int eq = option.indexOf('=');
            String name = eq < 0 ? option : option.substring(0, eq).strip();
            if (eq < 0 || !MainCfReader.isParameterName(name)) {
                throw new ConfigException(at + service + ": expected -o name=value, got \"" + option + "\"");
            }
            String value = option.substring(eq + 1).strip();
            ParameterDefinition def = ParameterRegistry.find(name);
            if (def == null) {
                String near = NearestName.find(name, ParameterRegistry.all().keySet());
                warnings.add(at + service + ": -o " + name + ": unknown parameter"
                    + (near == null ? "" : "; did you mean " + near + "?"));
            } else if (value.indexOf('$') < 0) {
                // Values with $name are checked when expanded against main.cf (ListenerDefinition.settings).
                ParameterValues.check(def.type(), at + name, value);
            }
            overrides.put(name, value);
        }
        return overrides;
    }

    /** Splits on white space, keeping a {@code {...}} group (with its spaces) as one token. */
    static List<String> tokenize(String at, String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth < 0) {
                    throw new ConfigException(at + "unbalanced '}'");
                }
            }
            if (depth == 0 && Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (depth != 0) {
            throw new ConfigException(at + "unbalanced '{'");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /**
     * Checks every listener's overrides against main.cf: expansion (loops), types and lookup tables,
     * so a {@code -o} value that is only wrong once expanded stops start-up or a reload, naming the
     * master.cf line. Call after loading both files.
     */
    public void validate(Settings main) {
        if (!(main instanceof ConfigurationSettings)) {
            return;
        }
        for (ListenerDefinition l : listeners) {
            if (!l.overrides().isEmpty()) {
                ((ConfigurationSettings) l.settings(main)).validate(List.copyOf(l.overrides().keySet()));
            }
        }
    }

    public Path file() {
        return file;
    }

    /** The listeners in file order. */
    public List<ListenerDefinition> listeners() {
        return listeners;
    }

    /** Overrides of unknown parameters, as {@code file:line: service: -o name: ...}. */
    public List<String> warnings() {
        return warnings;
    }
}
