package org.mailserver.imap.session;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailboxes IMAP clients opened most recently, as (user, mailbox name) pairs, at most {@link #CAPACITY}:
 * SELECT and EXAMINE record each one they open. The daemon writes the list to
 * {@code data_directory/imap-recent-folders} when it stops and loads those mailboxes' indexes right after it
 * starts ({@link org.mailserver.imap.FolderPreloadModule}), so that the first SELECT after a restart finds the
 * folder in memory as it would before the restart (Dovecot's index is a mapped file and needs no load).
 *
 * <p>File format: UTF-8, one mailbox per line, most recent first: the user name, a tab, the mailbox name,
 * each URL-encoded (so neither can hold a tab or a line break). Lines that do not read are skipped with a
 * warning naming the file and line: the list is a hint, never needed for correctness. Thread-safe.
 */
public final class RecentFolders {
    public static final String FILE = "imap-recent-folders";
    public static final int CAPACITY = 64;
    private static final Logger LOG = LoggerFactory.getLogger(RecentFolders.class);

    /** A mailbox of a user, by its IMAP name. */
    public record Folder(String user, String mailbox) {
    }

    /** Access-ordered: the eldest entry is the least recently opened. */
    private final LinkedHashMap<Folder, Boolean> lru = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Folder, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Records that a client of {@code user} opened {@code mailbox}. */
    public synchronized void opened(String user, String mailbox) {
        lru.put(new Folder(user, mailbox), Boolean.TRUE);
    }

    /** Adds folders read from a file ({@code mostRecentFirst} as {@link #read} returns them) as the oldest ones. */
    public synchronized void seed(List<Folder> mostRecentFirst) {
        List<Folder> newer = new ArrayList<>(lru.keySet());
        lru.clear();
        List<Folder> older = new ArrayList<>(mostRecentFirst);
        Collections.reverse(older);
        for (Folder f : older) {
            lru.put(f, Boolean.TRUE);
        }
        for (Folder f : newer) {
            lru.put(f, Boolean.TRUE);
        }
    }

    /** The folders, most recently opened first. */
    public synchronized List<Folder> mostRecentFirst() {
        List<Folder> out = new ArrayList<>(lru.keySet());
        Collections.reverse(out);
        return out;
    }

    /** Writes the list to {@code file} through a temporary file renamed over it (never half a list). */
    public void write(Path file) throws IOException {
        List<Folder> folders = mostRecentFirst();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Folder f : folders) {
                w.write(encode(f.user()) + "\t" + encode(f.mailbox()) + "\n");
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The folders of a file written by {@link #write}, most recent first; empty when there is no file. */
    public static List<Folder> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Folder> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            try {
                if (fields.length != 2 || fields[0].isEmpty() || fields[1].isEmpty()) {
                    throw new IllegalArgumentException("expected a user and a mailbox separated by a tab");
                }
                out.add(new Folder(decode(fields[0]), decode(fields[1])));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}, line {}: skipped: {}", file, lineNo, e.getMessage());
            }
            if (out.size() == CAPACITY) {
                break;
            }
        }
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8); // IllegalArgumentException on a bad escape
    }
}
