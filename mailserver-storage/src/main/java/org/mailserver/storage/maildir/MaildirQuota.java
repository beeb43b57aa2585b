package org.mailserver.storage.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.mailserver.storage.QuotaInfo;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.mailserver.storage.support.QuotaPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's quota usage in the Maildir++ {@code maildirsize} file at the Maildir root, as Dovecot and
 * Courier keep it: a header {@code <bytes>S,<messages>C} with the limits, then lines
 * {@code <bytes> <count>} whose sums are the usage; each delivery or expunge appends a line
 * (O_APPEND, so concurrent writers do not tear each other's lines). The file is recalculated by
 * scanning every folder's file names (S= sizes, no file is opened) when it is missing, unreadable,
 * has other limits than configured, sums to a negative value, or has grown past 5120 bytes (the
 * Maildir++ rule). Sizes are physical (S=) sizes, as in Dovecot's Maildir++ quota.
 */
final class MaildirQuota {
    static final String FILE = "maildirsize";
    private static final Logger LOG = LoggerFactory.getLogger(MaildirQuota.class);
    private static final int RECALC_SIZE = 5120;

    private final Path root;
    private final Path file;
    private volatile QuotaPolicy policy = QuotaPolicy.UNLIMITED;

    MaildirQuota(Path root) {
        this.root = root;
        this.file = root.resolve(FILE);
    }

    void setPolicy(QuotaPolicy p) {
        this.policy = p;
    }

    QuotaPolicy policy() {
        return policy;
    }

    synchronized QuotaInfo usage() throws StorageException {
        long[] u = read();
        if (u == null) {
            u = recalculate();
        }
        return policy.info(u[0], u[1]);
    }

    /** Throws OVER_QUOTA if adding this would pass a limit (RFC 9208 / Dovecot quota semantics). */
    void check(long addBytes, long addMessages) throws StorageException {
        QuotaPolicy p = policy;
        if (p.storageLimit() == 0 && p.messageLimit() == 0) {
            return;
        }
        QuotaInfo u = usage();
        p.check(u.storageBytes(), u.messages(), addBytes, addMessages);
    }

    /** Appends a usage change line. */
    void record(long bytes, long messages) {
        if (bytes == 0 && messages == 0) {
            return;
        }
        if (!file.toFile().exists()) {
            return; // recalculated on next use; checked first because most users have no quota file
        }
        byte[] line = (bytes + " " + messages + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line));
        } catch (NoSuchFileException e) {
            // Recalculated on next use.
        } catch (IOException e) {
            LOG.warn("{}: update failed, will recalculate: {}", file, e.getMessage());
            invalidate();
        }
    }

    void invalidate() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("{}: delete failed: {}", file, e.getMessage());
        }
    }

    /** The sums, or null when the file must be recalculated. */
    private long[] read() {
        try {
            if (Files.size(file) > RECALC_SIZE) {
                return null;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !lines.get(0).equals(header())) {
                return null;
            }
            long bytes = 0;
            long count = 0;
            for (int i = 1; i < lines.size(); i++) {
                long[] pair = pair(lines.get(i));
                if (pair == null) {
                    return null;
                }
                bytes += pair[0];
                count += pair[1];
            }
            return bytes < 0 || count < 0 ? null : new long[] {bytes, count};
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** {@code <bytes> <count>} separated by white space (no regex: read on every quota check). */
    static long[] pair(String line) {
        String t = line.trim();
        int sp = 0;
        while (sp < t.length() && !Character.isWhitespace(t.charAt(sp))) {
            sp++;
        }
        int next = sp;
        while (next < t.length() && Character.isWhitespace(t.charAt(next))) {
            next++;
        }
        if (sp == 0 || next == t.length()) {
            return null;
        }
        for (int i = next; i < t.length(); i++) {
            if (Character.isWhitespace(t.charAt(i))) {
                return null; // a third field
            }
        }
        return new long[] {Long.parseLong(t.substring(0, sp)), Long.parseLong(t.substring(next))};
    }

    private String header() {
        QuotaPolicy p = policy;
        return p.storageLimit() + "S," + p.messageLimit() + "C";
    }

    /** Scans every folder's file names and rewrites the file (tmp + rename). */
    long[] recalculate() throws StorageException {
        long[] sum = {0, 0};
        try {
            addFolder(root, sum);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".") && !n.startsWith("..") && Files.isDirectory(p)) {
                        addFolder(p, sum);
                    }
                }
            }
            Path tmp = root.resolve(FILE + ".tmp." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
            Files.writeString(tmp, header() + "\n" + sum[0] + " " + sum[1] + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // A folder vanished while scanning; the sums are still a fair estimate.
        } catch (IOException e) {
            throw new StorageException(StorageError.TEMPORARY, "Quota recalculation failed: " + e.getMessage(), e);
        }
        return sum;
    }

    private static void addFolder(Path dir, long[] sum) throws IOException {
        for (String sub : new String[] {"cur", "new"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path f : ds) {
                    String n = f.getFileName().toString();
                    if (n.startsWith(".")) {
                        continue;
                    }
                    long s = MaildirFileName.field(n, 'S');
                    if (s < 0) {
                        try {
                            s = Files.size(f);
                        } catch (NoSuchFileException gone) {
                            continue;
                        }
                    }
                    sum[0] += s;
                    sum[1]++;
                }
            }
        }
    }
}
