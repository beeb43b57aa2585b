package org.mailserver.storage.maildir;

import java.nio.file.Path;
import org.mailserver.core.auth.UserInfo;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * Dovecot's {@code mail_location} for Maildir: {@code maildir:PATH[:KEY=VALUE...]} with
 * {@code %u} (user), {@code %n} (local part), {@code %d} (domain), {@code %h} and a leading
 * {@code ~} (home from the userdb), {@code %%} (a percent sign). The userdb {@code mail} field,
 * when present, replaces the configured location for that user. Values that would walk out of the
 * configured tree ({@code ..} or {@code /} in a user-name part) are refused.
 */
final class MailLocation {
    private MailLocation() {
    }

    static Path resolve(String configured, UserInfo user) throws StorageException {
        return resolve(configured, user, Path.of(""));
    }

    /**
     * Like the daemon's other paths, a relative location is relative to the configuration directory
     * ({@code base}), so that a development config keeps all its state beside it.
     */
    static Path resolve(String configured, UserInfo user, Path base) throws StorageException {
        String loc = user.mail() != null && !user.mail().isBlank() ? user.mail().trim() : configured.trim();
        if (!loc.startsWith("maildir:")) {
            throw new StorageException(StorageError.NOT_POSSIBLE, "Unsupported mail_location: " + loc);
        }
        String path = loc.substring("maildir:".length());
        int opt = path.indexOf(':');
        if (opt >= 0) {
            path = path.substring(0, opt);
        }
        String home = user.home();
        if (path.startsWith("~")) {
            if (home == null || home.isBlank()) {
                throw new StorageException(StorageError.NOT_POSSIBLE, "mail_location uses ~ but user has no home");
            }
            path = home + path.substring(1);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%' || i + 1 >= path.length()) {
                sb.append(c);
                continue;
            }
            char v = path.charAt(++i);
            switch (v) {
                case 'u' -> sb.append(safe(user.user()));
                case 'n' -> sb.append(safe(user.localPart()));
                case 'd' -> sb.append(user.domain().isEmpty() ? "" : safe(user.domain()));
                case 'h' -> {
                    if (home == null || home.isBlank()) {
                        throw new StorageException(StorageError.NOT_POSSIBLE, "mail_location uses %h but user has no home");
                    }
                    sb.append(home);
                }
                case '%' -> sb.append('%');
                default -> throw new StorageException(StorageError.NOT_POSSIBLE, "Unknown variable %" + v + " in mail_location");
            }
        }
        if (sb.length() == 0) {
            throw new StorageException(StorageError.NOT_POSSIBLE, "Empty mail_location");
        }
        Path resolved = Path.of(sb.toString());
        if (!resolved.isAbsolute()) {
            resolved = base.resolve(resolved);
        }
        return resolved.toAbsolutePath().normalize();
    }

    private static String safe(String part) throws StorageException {
        if (part.isEmpty() || part.contains("/") || part.equals(".") || part.equals("..") || part.indexOf('\0') >= 0) {
            throw new StorageException(StorageError.BAD_PARAMS, "User name can't be used in a path: " + part);
        }
        return part;
    }
}
