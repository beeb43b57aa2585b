package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.mailserver.storage.MailStore;
import org.mailserver.storage.SpecialUse;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * The two per-user list files at the Maildir root.
 * <ul>
 *   <li>{@code subscriptions}, Dovecot's version 2 format: a header {@code V<TAB>2} and an empty
 *       line, then one name per line with hierarchy levels separated by TAB, each level in modified
 *       UTF-7 (as Dovecot writes it for Maildir++). Version 1 files (one storage name per line,
 *       levels separated by {@code .}) are read too. Changed under the {@code subscriptions.lock}
 *       dot-lock and published by renaming the lock file, as Dovecot does.</li>
 *   <li>{@code mailserver-special-use}, ours: lines {@code <attribute><TAB><entry name>} for
 *       special-use attributes given at CREATE (Dovecot keeps them in its index, which we do not
 *       read); the configured default folder names carry theirs without an entry.</li>
 * </ul>
 */
final class MailboxListFiles {
    static final String SUBSCRIPTIONS = "subscriptions";
    static final String SPECIAL_USE = "mailserver-special-use";
    private static final String V2_HEADER = "V\t2\n\n";

    private final Path root;
    private final FsyncPolicy fsync;

    MailboxListFiles(Path root, FsyncPolicy fsync) {
        this.root = root;
        this.fsync = fsync;
    }

    Set<String> subscriptions() throws StorageException {
        Set<String> out = new TreeSet<>();
        String text = read(SUBSCRIPTIONS);
        if (text == null) {
            return out;
        }
        boolean v2 = text.startsWith(V2_HEADER);
        String body = v2 ? text.substring(V2_HEADER.length()) : text;
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String name = decode(line, v2 ? "\t" : "\\.");
            if (name != null) {
                out.add(name);
            }
        }
        return out;
    }

    private static String decode(String line, String sepRegex) {
        StringBuilder sb = new StringBuilder();
        try {
            for (String part : line.split(sepRegex, -1)) {
                if (sb.length() > 0) {
                    sb.append(MailStore.HIERARCHY_SEPARATOR);
                }
                sb.append(ModifiedUtf7.decode(part));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        String n = sb.toString();
        return n.equalsIgnoreCase("INBOX") ? "INBOX" : n;
    }

    /** Applies a change to the subscription set and writes it back. */
    void updateSubscriptions(UnaryOperator<Set<String>> change) throws StorageException {
        Path file = root.resolve(SUBSCRIPTIONS);
        try (DotLock lock = DotLock.acquire(file, DotLock.SHORT_STALE_MILLIS)) {
            Set<String> current = subscriptions();
            Set<String> updated = new TreeSet<>(change.apply(new TreeSet<>(current)));
            if (updated.equals(current) && Files.exists(file)) {
                return;
            }
            StringBuilder sb = new StringBuilder(V2_HEADER);
            for (String name : updated) {
                StringBuilder line = new StringBuilder();
                for (String part : name.split(String.valueOf(MailStore.HIERARCHY_SEPARATOR), -1)) {
                    if (line.length() > 0) {
                        line.append('\t');
                    }
                    line.append(ModifiedUtf7.encode(part));
                }
                sb.append(line).append('\n');
            }
            lock.replace(sb.toString().getBytes(StandardCharsets.UTF_8), fsync.enabled());
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Writing subscriptions failed: " + e.getMessage(), e);
        }
    }

    Map<String, Set<SpecialUse>> specialUse() throws StorageException {
        Map<String, Set<SpecialUse>> out = new LinkedHashMap<>();
        String text = read(SPECIAL_USE);
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            SpecialUse u = SpecialUse.fromAttribute(line.substring(0, tab));
            String name = MaildirLayout.nameOf(line.substring(tab + 1));
            if (u != null && name != null) {
                out.computeIfAbsent(name, k -> EnumSet.noneOf(SpecialUse.class)).add(u);
            }
        }
        return out;
    }

    /** Replaces the special-use entries of one name (empty set removes them). */
    void setSpecialUse(String name, Set<SpecialUse> uses) throws StorageException {
        Path file = root.resolve(SPECIAL_USE);
        try (DotLock lock = DotLock.acquire(file, DotLock.SHORT_STALE_MILLIS)) {
            Map<String, Set<SpecialUse>> all = specialUse();
            if (uses.isEmpty()) {
                if (all.remove(name) == null) {
                    return;
                }
            } else {
                all.put(name, uses);
            }
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Set<SpecialUse>> e : all.entrySet()) {
                for (SpecialUse u : e.getValue()) {
                    sb.append(u.attribute()).append('\t').append(MaildirLayout.entryOf(e.getKey())).append('\n');
                }
            }
            lock.replace(sb.toString().getBytes(StandardCharsets.UTF_8), fsync.enabled());
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Writing special-use failed: " + e.getMessage(), e);
        }
    }

    private String read(String name) throws StorageException {
        try {
            return Files.readString(root.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Reading " + name + " failed: " + e.getMessage(), e);
        }
    }

}
