package org.mailserver.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.config.Settings;

/** listener_unix_mode / _user / _group on a bound socket file (here a plain file: the calls are the same). */
@Timeout(10)
class UnixSocketPermissionsTest {
    @TempDir
    Path dir;

    @Test
    void octalModesParseAndBadOnesAreRefusedWithTheParameterName() throws Exception {
        assertEquals(PosixFilePermissions.fromString("rw-------"), UnixSocketPermissions.parseMode("0600"));
        assertEquals(PosixFilePermissions.fromString("rw-rw-rw-"), UnixSocketPermissions.parseMode("666"));
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), UnixSocketPermissions.parseMode("0750"));
        IOException notOctal = assertThrows(IOException.class, () -> UnixSocketPermissions.parseMode("0680"));
        assertTrue(notOctal.getMessage().startsWith("listener_unix_mode: "), notOctal.getMessage());
        assertThrows(IOException.class, () -> UnixSocketPermissions.parseMode("4755"), "no setuid bits on a socket");
    }

    @Test
    void modeAndOwnerAreAppliedAndEmptyValuesLeaveTheFileAlone() throws Exception {
        Path socket = Files.createFile(dir.resolve("lmtp"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxr-xr-x"));
        UnixSocketPermissions.apply(socket, Settings.of(Map.of()));
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), Files.getPosixFilePermissions(socket));
        String me = Files.getOwner(socket).getName();
        UnixSocketPermissions.apply(socket, Settings.of(Map.of("listener_unix_mode", "0660", "listener_unix_user", me)));
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), Files.getPosixFilePermissions(socket));
        assertEquals(me, Files.getOwner(socket).getName());
        assertThrows(IOException.class, () -> UnixSocketPermissions.apply(socket,
            Settings.of(Map.of("listener_unix_user", "no-such-user-here"))));
    }
}
