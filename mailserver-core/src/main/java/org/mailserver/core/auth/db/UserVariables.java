package org.mailserver.core.auth.db;

import java.util.Locale;

/**
 * Dovecot's {@code %} variables for a user name, as used in passwd-file paths, static userdb templates and
 * {@code auth_username_format}: {@code %u} (user), {@code %n} (local part), {@code %d} (domain),
 * {@code %%}; the long forms {@code %{user}}, {@code %{username}}, {@code %{domain}}; and the modifiers
 * {@code L} (lower case) and {@code U} (upper case), e.g. {@code %Lu}, {@code %Ln@%Ld}.
 */
public final class UserVariables {
    private UserVariables() {
    }

    /** The user with its domain part in lower case: domains are case-insensitive (RFC 5321 section 2.4). */
    public static String normalizeDomain(String user) {
        int at = user.lastIndexOf('@');
        return at < 0 ? user : user.substring(0, at + 1) + user.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    public static String localPart(String user) {
        int at = user.lastIndexOf('@');
        return at < 0 ? user : user.substring(0, at);
    }

    public static String domain(String user) {
        int at = user.lastIndexOf('@');
        return at < 0 ? "" : user.substring(at + 1);
    }

    /** Expands {@code template} for {@code user}; an unknown variable is an {@link IllegalArgumentException}. */
    public static String expand(String template, String user) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i >= template.length()) {
                throw new IllegalArgumentException("trailing % in \"" + template + "\"");
            }
            char modifier = 0;
            c = template.charAt(i);
            if (c == 'L' || c == 'U') {
                modifier = c;
                if (++i >= template.length()) {
                    throw new IllegalArgumentException("trailing %" + modifier + " in \"" + template + "\"");
                }
                c = template.charAt(i);
            }
            String value;
            if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated %{ in \"" + template + "\"");
                }
                value = variable(template.substring(i + 1, end), user, template);
                i = end;
            } else {
                value = switch (c) {
                    case 'u' -> user;
                    case 'n' -> localPart(user);
                    case 'd' -> domain(user);
                    case '%' -> "%";
                    default -> throw new IllegalArgumentException("unknown variable %" + c + " in \"" + template + "\"");
                };
            }
            out.append(modifier == 'L' ? value.toLowerCase(Locale.ROOT)
                : modifier == 'U' ? value.toUpperCase(Locale.ROOT) : value);
        }
        return out.toString();
    }

    private static String variable(String name, String user, String template) {
        return switch (name) {
            case "user" -> user;
            case "username" -> localPart(user);
            case "domain" -> domain(user);
            default -> throw new IllegalArgumentException("unknown variable %{" + name + "} in \"" + template + "\"");
        };
    }

    /** True when the template depends on the user (a per-user or per-domain file). */
    public static boolean hasVariables(String template) {
        return template.replace("%%", "").indexOf('%') >= 0;
    }
}
