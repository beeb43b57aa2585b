package org.mailserver.storage.maildir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dovecot's {@code dovecot-uidlist}, version 3, the authority for UIDs and UIDVALIDITY:
 * <pre>
 *   3 V&lt;uidvalidity&gt; N&lt;nextuid&gt; G&lt;mailbox guid, 32 hex&gt;
 *   &lt;uid&gt; [&lt;key&gt;&lt;value&gt; ...] :&lt;base file name&gt;
 * </pre>
 * Records are in ascending UID order; the next UID is the larger of N and the last UID + 1.
 * Writers hold the {@code dovecot-uidlist.lock} dot-lock ({@link DotLock}) and either append
 * records (readers follow appended lines from their last offset, as Dovecot does) or recreate the
 * file as {@code dovecot-uidlist.tmp} renamed over it. Version 1 files ({@code 1 <uv> <next>},
 * {@code <uid> <file>}) are read too. A record's file may be gone (expunged): the directory listing
 * decides which messages exist; this file decides only their UIDs.
 */
final class Uidlist {
    static final String FILE = "dovecot-uidlist";
    private static final Logger LOG = LoggerFactory.getLogger(Uidlist.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final FsyncPolicy fsync;
    private long uidValidity;
    private long headerNext = 1;
    private long lastUid;
    private String guid;
    private final TreeMap<Long, String> byUid = new TreeMap<>();
    private final Map<String, Long> byBase = new HashMap<>();
    private Object fileKey;
    private long offset;
    /**
     * Record lines read but not yet put in the maps: {@code pending[pendingFrom, pendingTo)}, complete lines of
     * a version 3 file. A whole-file read only finds the last UID (a scan of digits, no objects); the maps are
     * filled on first use ({@link #records}). After a restart, an open whose index matches the directories never
     * needs them: that was 10,000 strings and map entries on the way to the first SELECT.
     */
    private byte[] pending;
    private int pendingFrom;
    private int pendingTo;

    Uidlist(Path folderDir, FsyncPolicy fsync) {
        this.file = folderDir.resolve(FILE);
        this.fsync = fsync;
    }

    Path path() {
        return file;
    }

    long uidValidity() {
        return uidValidity;
    }

    long nextUid() {
        return Math.max(headerNext, lastUid + 1);
    }

    Long uidOf(String base) {
        materialize();
        return byBase.get(base);
    }

    String baseOf(long uid) {
        materialize();
        return byUid.get(uid);
    }

    int recordCount() {
        materialize();
        return byUid.size();
    }

    Map<Long, String> records() {
        materialize();
        return byUid;
    }

    /** Whether record lines wait to be parsed (tests). */
    boolean hasPendingRecords() {
        return pending != null;
    }

    /** Parses the record lines a whole-file read left for later into the maps. */
    private void materialize() {
        if (pending != null) {
            byte[] data = pending;
            int from = pendingFrom;
            int to = pendingTo;
            pending = null;
            parseLines(data, from, to, 3);
        }
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** Reads what changed since the last read; returns true when the file was replaced (reread whole). */
    boolean refresh() throws StorageException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            boolean had = fileKey != null;
            reset();
            return had;
        } catch (IOException e) {
            throw io("stat", e);
        }
        boolean replaced = fileKey == null || !fileKey.equals(attrs.fileKey()) || attrs.size() < offset;
        if (!replaced && attrs.size() == offset) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long start = replaced ? 0 : offset;
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                // read all
            }
            byte[] data = new byte[buf.position()];
            buf.flip();
            buf.get(data);
            if (replaced) {
                reset();
            } else {
                materialize(); // appended lines follow the ones read before
            }
            int consumed = parse(data, start == 0);
            offset = start + consumed;
            fileKey = attrs.fileKey();
            return replaced;
        } catch (NoSuchFileException e) {
            reset();
            return true;
        } catch (IOException e) {
            throw io("read", e);
        }
    }

    private void reset() {
        uidValidity = 0;
        headerNext = 1;
        lastUid = 0;
        guid = null;
        byUid.clear();
        byBase.clear();
        fileKey = null;
        offset = 0;
        pending = null;
    }

    /**
     * Parses complete lines; returns the number of bytes consumed (a torn last line is left). The records of a
     * whole version 3 file are only scanned for the last UID and kept for {@link #materialize}.
     */
    private int parse(byte[] data, boolean withHeader) {
        int pos = 0;
        int version = 3;
        if (withHeader) {
            int nl = indexOf(data, 0, (byte) '\n');
            if (nl < 0) {
                return 0;
            }
            version = parseHeader(new String(data, 0, nl, StandardCharsets.UTF_8));
            pos = nl + 1;
        }
        int end = data.length;
        while (end > pos && data[end - 1] != '\n') {
            end--; // after the last complete line
        }
        if (withHeader && version == 3 && end > pos && scanLastUid(data, pos, end)) {
            pending = data;
            pendingFrom = pos;
            pendingTo = end;
            return end;
        }
        parseLines(data, pos, end, version);
        return end;
    }

    /** Parses the record lines in {@code data[from, to)} (complete lines) into the maps. */
    private void parseLines(byte[] data, int from, int to, int version) {
        int pos = from;
        while (pos < to) {
            int nl = indexOf(data, pos, (byte) '\n');
            String line = new String(data, pos, nl - pos, StandardCharsets.UTF_8);
            pos = nl + 1;
            parseRecord(line, version);
        }
    }

    /**
     * Raises {@link #lastUid} to the largest UID of the version 3 record lines in {@code data[from, to)} that
     * {@link #parseRecord} would accept, on bytes (the characters it looks at are ASCII). Returns false, having
     * changed nothing, when a line's UID is not plain digits: then the lines are parsed the usual way.
     */
    private boolean scanLastUid(byte[] data, int from, int to) {
        long last = lastUid;
        int pos = from;
        while (pos < to) {
            // one pass over the line: data[to - 1] is a line end, so every inner loop stops at the latest there
            int sp = pos;
            while (data[sp] != ' ' && data[sp] != '\n') {
                sp++;
            }
            if (data[sp] == '\n' || sp == pos) {
                pos = lineEnd(data, sp) + 1; // no space, or a leading one: the parser skips the line
                continue;
            }
            int a = pos;
            int b = sp;
            while (a < b && (data[a] & 0xff) <= ' ') {
                a++; // String.trim()
            }
            while (b > a && (data[b - 1] & 0xff) <= ' ') {
                b--;
            }
            if (b == a || b - a > 18) {
                return false;
            }
            long uid = 0;
            for (int i = a; i < b; i++) {
                if (data[i] < '0' || data[i] > '9') {
                    return false;
                }
                uid = uid * 10 + (data[i] - '0');
            }
            int colon = sp;
            while (data[colon] != ':' && data[colon] != '\n') {
                colon++;
            }
            if (data[colon] == '\n') {
                pos = colon + 1;
                continue;
            }
            int baseEnd = colon + 1;
            boolean slash = false;
            while (data[baseEnd] != ':' && data[baseEnd] != '\n') {
                slash |= data[baseEnd] == '/';
                baseEnd++;
            }
            if (uid > 0 && baseEnd > colon + 1 && !slash) {
                last = Math.max(last, uid);
            }
            pos = lineEnd(data, baseEnd) + 1;
        }
        lastUid = last;
        return true;
    }

    /** The line end at or after {@code at} (one exists: scanned ranges end with one). */
    private static int lineEnd(byte[] data, int at) {
        int i = at;
        while (data[i] != '\n') {
            i++;
        }
        return i;
    }

    private int parseHeader(String line) {
        String[] parts = line.trim().split(" +");
        if (parts.length >= 3 && parts[0].equals("1")) {
            uidValidity = parseLong(parts[1]);
            headerNext = Math.max(1, parseLong(parts[2]));
            return 1;
        }
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            char key = parts[i].charAt(0);
            String v = parts[i].substring(1);
            switch (key) {
                case 'V' -> uidValidity = parseLong(v);
                case 'N' -> headerNext = Math.max(1, parseLong(v));
                case 'G' -> guid = v;
                default -> { }
            }
        }
        return 3;
    }

    private void parseRecord(String line, int version) {
        int sp = line.indexOf(' ');
        if (sp <= 0) {
            return;
        }
        long uid = parseLong(line.substring(0, sp));
        if (uid <= 0) {
            LOG.warn("{}: ignoring broken line: {}", file, line);
            return;
        }
        String name;
        if (version == 1) {
            name = line.substring(sp + 1).trim();
        } else {
            int colon = line.indexOf(':', sp);
            if (colon < 0) {
                return;
            }
            name = line.substring(colon + 1);
        }
        String base = MaildirFileName.base(name);
        if (base.isEmpty() || base.indexOf('/') >= 0) {
            return;
        }
        Long previous = byBase.put(base, uid);
        if (previous != null && previous != uid) {
            byUid.remove(previous);
        }
        byUid.put(uid, base);
        lastUid = Math.max(lastUid, uid);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int indexOf(byte[] data, int from, byte b) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    DotLock lock() throws StorageException {
        return DotLock.acquire(file, DotLock.UIDLIST_STALE_MILLIS);
    }

    /**
     * Appends records (caller holds the lock and refreshed under it). Creates the file with a fresh
     * header when it does not exist, using {@code newUidValidity}.
     */
    void append(List<Map.Entry<Long, String>> records, long newUidValidity) throws StorageException {
        materialize();
        if (fileKey == null) {
            if (uidValidity == 0) {
                uidValidity = newUidValidity;
            }
            for (Map.Entry<Long, String> r : records) {
                byUid.put(r.getKey(), r.getValue());
                byBase.put(r.getValue(), r.getKey());
                lastUid = Math.max(lastUid, r.getKey());
            }
            recreate(null);
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Long, String> r : records) {
            sb.append(r.getKey()).append(" :").append(r.getValue()).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            fsync.file(ch);
            offset = ch.size();
        } catch (IOException e) {
            throw io("append", e);
        }
        for (Map.Entry<Long, String> r : records) {
            byUid.put(r.getKey(), r.getValue());
            byBase.put(r.getValue(), r.getKey());
            lastUid = Math.max(lastUid, r.getKey());
        }
    }

    /**
     * Rewrites the file (caller holds the lock) keeping only the records whose base is in
     * {@code keep} (null keeps all). N keeps the next UID so expunged UIDs are never reused.
     */
    void recreate(java.util.Set<String> keep) throws StorageException {
        materialize();
        long next = nextUid();
        if (uidValidity == 0) {
            throw new IllegalStateException("uidvalidity not set");
        }
        if (guid == null) {
            byte[] g = new byte[16];
            RANDOM.nextBytes(g);
            guid = HexFormat.of().formatHex(g);
        }
        if (keep != null) {
            byUid.values().removeIf(base -> !keep.contains(base));
            byBase.keySet().removeIf(base -> !keep.contains(base));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String header = "3 V" + uidValidity + " N" + next + " G" + guid + "\n";
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<Long, String> r : byUid.entrySet()) {
            out.writeBytes((r.getKey() + " :" + r.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            fsync.replace(tmp, file, out.toByteArray());
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            fileKey = attrs.fileKey();
            offset = attrs.size();
            headerNext = next;
        } catch (IOException e) {
            throw io("rewrite", e);
        }
    }

    private StorageException io(String what, IOException e) {
        return new StorageException(StorageError.TEMPORARY, FILE + " " + what + " failed: " + e.getMessage(), e);
    }
}
