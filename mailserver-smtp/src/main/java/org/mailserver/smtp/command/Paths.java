package org.mailserver.smtp.command;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mailserver.smtp.session.SmtpException;

/**
 * Parses the argument of MAIL and RCPT: {@code FROM:<path> params} (RFC 5321 4.1.2, 3.3), with the
 * source route dropped (RFC 5321 4.1.1.3 allows ignoring it) and the ESMTP parameters as a map of
 * upper-case keywords. Leniency (Postfix's default strict_rfc821_envelopes=no): a space after the
 * colon and a path without angle brackets are accepted.
 */
public final class Paths {

    /** The path without brackets ({@code ""} for {@code <>}) and the parameters (value null when absent). */
    public record Parsed(String path, Map<String, String> params) {
    }

    private Paths() {
    }

    public static Parsed parse(String arg, String prefix) throws SmtpException {
        if (!arg.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw SmtpException.syntax(prefix.startsWith("F") ? "MAIL FROM:<address>" : "RCPT TO:<address>");
        }
        String rest = arg.substring(prefix.length()).stripLeading();
        String path;
        String params;
        if (rest.startsWith("<")) {
            int end = closing(rest);
            if (end < 0) {
                throw new SmtpException(501, "5.1.7", "Bad address syntax");
            }
            path = rest.substring(1, end);
            params = rest.substring(end + 1);
            if (!params.isEmpty() && params.charAt(0) != ' ') {
                throw new SmtpException(501, "5.5.4", "Syntax error in parameters");
            }
        } else {
            int sp = rest.indexOf(' ');
            path = sp < 0 ? rest : rest.substring(0, sp);
            params = sp < 0 ? "" : rest.substring(sp);
            if (path.isEmpty()) {
                throw new SmtpException(501, "5.1.7", "Bad address syntax");
            }
        }
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            if (colon < 0) {
                throw new SmtpException(501, "5.1.7", "Bad address syntax");
            }
            path = path.substring(colon + 1);
        }
        return new Parsed(path, parameters(params.trim()));
    }

    private static int closing(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> parameters(String s) throws SmtpException {
        Map<String, String> map = new LinkedHashMap<>();
        if (s.isEmpty()) {
            return map;
        }
        for (String p : s.split(" +")) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty() || map.containsKey(key)) {
                throw new SmtpException(501, "5.5.4", "Syntax error in parameters");
            }
            map.put(key, eq < 0 ? null : p.substring(eq + 1));
        }
        return map;
    }

    /** Decodes RFC 3461 4 xtext ({@code +XX} hex escapes). */
    public static String xtext(String s) throws SmtpException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length()) {
                    throw new SmtpException(501, "5.5.4", "Bad xtext");
                }
                try {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw new SmtpException(501, "5.5.4", "Bad xtext");
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                throw new SmtpException(501, "5.5.4", "Bad xtext");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
