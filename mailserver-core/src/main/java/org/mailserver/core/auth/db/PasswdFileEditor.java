package org.mailserver.core.auth.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Edits a passwd-file safely for {@code mailserver user add|passwd|del} and the demo user: takes an exclusive
 * lock ({@code FILE.lock}, a POSIX lock, plus an in-process lock since a JVM cannot lock a file twice), reads
 * the current lines, writes the new content to a temporary file in the same directory with the original's
 * permissions (0600 for a new file), forces it to disk, renames it over the original atomically and forces the
 * directory. A crash leaves either the old or the new file, never a mix; two concurrent editors are serialized,
 * so neither edit is lost. Comments, blank lines and other users' lines are kept byte for byte. The running
 * daemon notices the new file at its next lookup ({@link PasswdFileSource}).
 */
public final class PasswdFileEditor {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    public PasswdFileEditor(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    /** Adds {@code user:password} with optional trailing fields ({@code uid:gid:gecos:home:shell:extra}). */
    public void add(String user, String password, String rest) throws IOException {
        checkUserName(user);
        edit(lines -> {
            if (indexOf(lines, user) >= 0) {
                throw new IllegalArgumentException("user " + user + " already exists in " + file);
            }
            List<String> out = new ArrayList<>(lines);
            out.add(user + ":" + password + (rest == null || rest.isEmpty() ? "" : ":" + rest));
            return out;
        });
    }

    /** Replaces the password field of {@code user}, keeping every other field. */
    public void setPassword(String user, String password) throws IOException {
        edit(lines -> {
            int i = indexOf(lines, user);
            if (i < 0) {
                throw new IllegalArgumentException("no such user " + user + " in " + file);
            }
            String[] f = lines.get(i).split(":", 3);
            List<String> out = new ArrayList<>(lines);
            out.set(i, f[0] + ":" + password + (f.length > 2 ? ":" + f[2] : ""));
            return out;
        });
    }

    public void delete(String user) throws IOException {
        edit(lines -> {
            int i = indexOf(lines, user);
            if (i < 0) {
                throw new IllegalArgumentException("no such user " + user + " in " + file);
            }
            List<String> out = new ArrayList<>(lines);
            out.remove(i);
            return out;
        });
    }

    /** True when the file has a line for {@code user} (domain compared case-insensitively). */
    public boolean contains(String user) throws IOException {
        return indexOf(read(), user) >= 0;
    }

    /** Creates an empty file with mode 0600 (and its directory) when it does not exist yet. */
    public void createIfMissing() throws IOException {
        edit(lines -> lines);
    }

    /**
     * Applies {@code change} to the lines under the lock and replaces the file atomically.
     * {@code change} may throw IllegalArgumentException to refuse the edit (nothing is written).
     */
    public void edit(UnaryOperator<List<String>> change) throws IOException {
        Files.createDirectories(file.getParent());
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try (FileChannel lockChannel = FileChannel.open(Path.of(file + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            boolean exists = Files.exists(file);
            List<String> lines = exists ? read() : List.of();
            List<String> updated = change.apply(lines);
            if (exists && updated.equals(lines)) {
                return;
            }
            Set<PosixFilePermission> mode = exists ? Files.getPosixFilePermissions(file) : NEW_FILE_MODE;
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(NEW_FILE_MODE));
            try {
                StringBuilder text = new StringBuilder();
                for (String l : updated) {
                    text.append(l).append('\n');
                }
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    out.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                    out.force(true);
                }
                Files.setPosixFilePermissions(tmp, mode);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            forceDirectory(file.getParent());
        } finally {
            local.unlock();
        }
    }

    private List<String> read() throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1); // the final newline
            }
            return lines;
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static int indexOf(List<String> lines, String user) {
        String want = UserVariables.normalizeDomain(user);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank() || l.stripLeading().startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            String name = colon < 0 ? l : l.substring(0, colon);
            if (UserVariables.normalizeDomain(name).equals(want)) {
                return i;
            }
        }
        return -1;
    }

    /** A name that a passwd-file line can hold. */
    public static void checkUserName(String user) {
        if (user == null || user.isEmpty() || user.length() > 255
            || user.chars().anyMatch(c -> c == ':' || Character.isWhitespace(c) || Character.isISOControl(c))
            || user.startsWith("#")) {
            throw new IllegalArgumentException("invalid user name: must be non-empty, without ':', '#' at the start, "
                + "spaces or control characters");
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems cannot sync a directory; the rename itself is still atomic.
        }
    }
}
