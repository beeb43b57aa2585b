package org.mailserver.core.auth.db;

import java.nio.file.Path;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import org.mailserver.core.config.ConfigException;

/**
 * Builds a passdb or userdb from its main.cf value {@code DRIVER:ARGS} ({@code passwd-file:/etc/mailserver/users},
 * {@code static:uid=vmail gid=vmail home=/var/vmail/%d/%n}). The one place that knows the driver names: an SQL
 * or LDAP driver is one more case here.
 */
public final class AuthDrivers {
    private AuthDrivers() {
    }

    public static PassDb passDb(String spec, Path configDirectory, PasswordSchemes schemes) {
        String[] parts = split("passdb", spec);
        if (parts[0].equals("passwd-file")) {
            return new PasswdFilePassDb(passwdFile("passdb", parts[1], configDirectory, schemes));
        }
        throw new ConfigException("passdb: unknown driver \"" + parts[0] + "\" (supported: passwd-file)");
    }

    /** A userdb; a passwd-file userdb on the same file as the passdb shares its parsed copy. */
    public static UserDb userDb(String spec, Path configDirectory, PasswordSchemes schemes, PassDb passDb) {
        String[] parts = split("userdb", spec);
        switch (parts[0]) {
            case "passwd-file":
                if (passDb instanceof PasswdFilePassDb p && p.source().template().equals(parts[1])) {
                    return new PasswdFileUserDb(p.source());
                }
                return new PasswdFileUserDb(passwdFile("userdb", parts[1], configDirectory, schemes));
            case "static":
                try {
                    return new StaticUserDb(parts[1], passDb);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("userdb: " + e.getMessage());
                }
            default:
                throw new ConfigException("userdb: unknown driver \"" + parts[0] + "\" (supported: passwd-file, static)");
        }
    }

    private static PasswdFileSource passwdFile(String parameter, String path, Path configDirectory, PasswordSchemes schemes) {
        if (path.isEmpty()) {
            throw new ConfigException(parameter + ": passwd-file needs a path");
        }
        try {
            UserVariables.expand(path, "check@example.test");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter + ": " + e.getMessage());
        }
        return new PasswdFileSource(path, configDirectory, schemes::knows);
    }

    private static String[] split(String parameter, String spec) {
        String s = spec == null ? "" : spec.trim();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new ConfigException(parameter + ": expected DRIVER:ARGS, e.g. passwd-file:/etc/mailserver/users, got \""
                + s + "\"");
        }
        return new String[] {s.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), s.substring(colon + 1).trim()};
    }
}
