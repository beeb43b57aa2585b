package org.mailserver.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Set;
import org.mailserver.core.config.Settings;

/**
 * Mode, owner and group of a freshly bound unix-domain socket listener, from {@code listener_unix_mode},
 * {@code listener_unix_user} and {@code listener_unix_group} (Dovecot's {@code unix_listener { mode user
 * group }}). Called by {@link Listener#bind} right after the bind; a bad value or a failed change fails the
 * bind, so the daemon does not start with a socket its peers cannot reach.
 */
final class UnixSocketPermissions {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private UnixSocketPermissions() {
    }

    static void apply(Path socket, Settings settings) throws IOException {
        String mode = settings.getString("listener_unix_mode").trim();
        String user = settings.getString("listener_unix_user").trim();
        String group = settings.getString("listener_unix_group").trim();
        PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
        if (view == null) {
            if (!mode.isEmpty() || !user.isEmpty() || !group.isEmpty()) {
                throw new IOException("listener_unix_mode/user/group: not a POSIX file system: " + socket);
            }
            return;
        }
        UserPrincipalLookupService names = socket.getFileSystem().getUserPrincipalLookupService();
        if (!user.isEmpty()) {
            view.setOwner(names.lookupPrincipalByName(user));
        }
        if (!group.isEmpty()) {
            GroupPrincipal g = names.lookupPrincipalByGroupName(group);
            view.setGroup(g);
        }
        if (!mode.isEmpty()) {
            view.setPermissions(parseMode(mode));
        }
    }

    /** An octal mode such as {@code 0660} or {@code 660}. */
    static Set<PosixFilePermission> parseMode(String mode) throws IOException {
        int bits;
        try {
            bits = Integer.parseInt(mode, 8);
        } catch (NumberFormatException e) {
            throw new IOException("listener_unix_mode: not an octal mode: " + mode);
        }
        if (bits < 0 || bits > 0777) {
            throw new IOException("listener_unix_mode: only permission bits (at most 0777): " + mode);
        }
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(BITS[i]);
            }
        }
        return out;
    }
}
