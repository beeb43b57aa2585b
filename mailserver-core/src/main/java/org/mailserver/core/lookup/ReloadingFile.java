package org.mailserver.core.lookup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.mailserver.core.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parsed content of a table file, re-parsed when the file changes. The check is one stat
 * (modification time, size and inode, so an atomic {@code mv new virtual} is seen even when the new
 * file is older) and runs at most once per check interval, whatever the lookup rate.
 *
 * <p>Opening parses the file and throws {@link ConfigException} on any problem. After that, a reload
 * that fails (file removed, malformed) does not serve stale or partial data: lookups throw
 * {@link LookupException} with the {@code file:line} message until the file is fixed, so mail is
 * deferred, neither bounced nor misrouted. The error is logged once per change.
 */
final class ReloadingFile<T> {
    private static final Logger log = LoggerFactory.getLogger(ReloadingFile.class);

    private record Stamp(long modified, long size, Object fileKey) {
    }

    private record State<T>(T value, Stamp stamp, String error) {
    }

    private final Path file;
    private final Function<Path, T> parser;
    private final long intervalNanos;
    private volatile State<T> state;
    private volatile long nextCheck;

    /** Parses the file now; throws {@link ConfigException} naming file and line on a bad file. */
    ReloadingFile(Path file, Function<Path, T> parser, Duration checkInterval) {
        this.file = file;
        this.parser = parser;
        this.intervalNanos = checkInterval.toNanos();
        Stamp stamp = stamp();
        if (stamp == null) {
            throw new ConfigException(file + ": file not found");
        }
        this.state = new State<>(parser.apply(file), stamp, null);
        this.nextCheck = System.nanoTime() + intervalNanos;
    }

    T current() throws LookupException {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            synchronized (this) {
                if (now - nextCheck >= 0) {
                    nextCheck = now + intervalNanos;
                    refresh();
                }
            }
        }
        State<T> s = state;
        if (s.error() != null) {
            throw new LookupException(s.error());
        }
        return s.value();
    }

    private void refresh() {
        Stamp stamp = stamp();
        if (Objects.equals(stamp, state.stamp())) {
            return;
        }
        if (stamp == null) {
            state = new State<>(null, null, file + ": file not found");
            log.error("error: {}: file not found; lookups fail until it is restored", file);
            return;
        }
        try {
            state = new State<>(parser.apply(file), stamp, null);
            log.info("{}: reloaded after change", file);
        } catch (ConfigException e) {
            state = new State<>(null, stamp, e.getMessage());
            log.error("error: {}; lookups fail until the file is fixed", e.getMessage());
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(), a.fileKey());
        } catch (IOException e) {
            return null;
        }
    }
}
