package org.mailserver.core.auth.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passwd-file(s) behind one {@code passwd-file:PATH} passdb or userdb, kept parsed in memory and re-read
 * when a file changes (its inode, modification time or size differ at the next lookup: a stat per lookup, no
 * restart, no watcher thread). {@code PATH} may contain {@code %d}, {@code %n}, {@code %u} for per-domain or
 * per-user files; relative paths resolve against the configuration directory. A missing or unreadable file
 * is an {@link AuthBackendException} (temporary failure), never an empty user list. Thread-safe.
 */
public final class PasswdFileSource {
    private static final Logger LOG = LoggerFactory.getLogger(PasswdFileSource.class);
    /** Bound on parsed per-domain/per-user files kept in memory. */
    private static final int MAX_FILES = 1000;

    private record Loaded(Object fileKey, FileTime modified, long size, PasswdFile file) {
    }

    private final String template;
    private final Path baseDirectory;
    private final Predicate<String> knownScheme;
    private final Map<Path, Loaded> loaded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Loaded> eldest) {
            return size() > MAX_FILES;
        }
    };

    public PasswdFileSource(String template, Path baseDirectory, Predicate<String> knownScheme) {
        this.template = template;
        this.baseDirectory = baseDirectory;
        this.knownScheme = knownScheme;
    }

    public String template() {
        return template;
    }

    /** The file that holds {@code user} (the template expanded). */
    public Path pathFor(String user) {
        Path p = Path.of(UserVariables.expand(template, user));
        return p.isAbsolute() || baseDirectory == null ? p : baseDirectory.resolve(p);
    }

    /** The line of {@code user}, reloading its file first if it changed. */
    public PasswdFile.Entry find(String user) throws AuthBackendException {
        return current(pathFor(user)).find(user);
    }

    /** The current snapshot of one file, re-parsed if it changed since the last call. */
    public PasswdFile current(Path path) throws AuthBackendException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new AuthBackendException("passwd-file " + path + ": no such file");
        } catch (IOException e) {
            throw new AuthBackendException("passwd-file " + path + ": stat failed: " + e.getMessage(), e);
        }
        synchronized (loaded) {
            Loaded l = loaded.get(path);
            if (l != null && Objects.equals(l.fileKey, attrs.fileKey()) && l.modified.equals(attrs.lastModifiedTime())
                && l.size == attrs.size()) {
                return l.file;
            }
        }
        // Parse outside the lock; two threads racing on a change both parse, the later one wins: harmless.
        PasswdFile file;
        try {
            file = PasswdFile.parse(Files.readString(path, StandardCharsets.UTF_8), knownScheme);
        } catch (IOException e) {
            throw new AuthBackendException("passwd-file " + path + ": read failed: " + e.getMessage(), e);
        }
        for (PasswdFile.Problem p : file.problems()) {
            LOG.warn("passwd-file {}:{}: {}; line skipped", path, p.line(), p.message());
        }
        LOG.info("passwd-file {}: loaded {} users", path, file.users().size());
        synchronized (loaded) {
            loaded.put(path, new Loaded(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), file));
        }
        return file;
    }
}
