package org.mailserver.storage.maildir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.mailserver.storage.Flag;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.support.PackedCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our per-folder index and cache, {@code mailserver.index} next to {@code dovecot-uidlist}: what a
 * mailbox open needs without opening message files. It is never the source of truth (the Maildir
 * and dovecot-uidlist are); losing or corrupting it costs a rebuild, nothing else.
 *
 * <h2>Format (version 1, all integers big-endian)</h2>
 * <pre>
 * header  : "MSIDX" 0 0 1 (8 bytes)  uidvalidity (int64)
 * record* : type (1 byte)  length (int32)  payload (length bytes)  crc32 of type+length+payload (int32)
 *   'M' message  : uid int64, modseq int64, flags byte (bit per {@link Flag} ordinal), vsize int64,
 *                  internal date int64 (epoch seconds), file UTF ("cur/NAME" or "new/NAME"),
 *                  keyword count int16, keywords UTF...
 *   'X' expunge  : modseq int64, count int32, uid int64...
 *   'C' cache    : uid int64, key UTF, length int32, bytes
 *   'S' state    : highest modseq int64, \Recent claimed up to uid int64, expunge log floor int64
 *   'D' stamps   : cur/ mtime int64 (ns), new/ mtime int64 (ns), dovecot-uidlist size int64, its file key UTF;
 *                  what a full directory scan saw, written only when the directories were older than the
 *                  dirty window then; an open that finds the same stamps trusts the index without listing
 * </pre>
 * Later records override earlier ones (the file is an append log). Reading stops at the first
 * record that is short or fails its CRC: a write torn by a crash is dropped and the file truncated
 * there. When the log has grown to several times its live content it is compacted: a snapshot is
 * written to {@code mailserver.index.tmp} and renamed over the file. CONDSTORE modseqs persist here.
 * Writes are not fsynced unless {@code mail_fsync = always}-like behaviour is asked for: a kill -9
 * loses nothing written, a power loss may lose the tail, which a rebuild tolerates.
 */
final class MaildirIndex {
    static final String FILE = "mailserver.index";
    private static final Logger LOG = LoggerFactory.getLogger(MaildirIndex.class);
    private static final byte[] MAGIC = {'M', 'S', 'I', 'D', 'X', 0, 0, 1};
    private static final int HEADER = 16;

    /** One message as the index remembers it. */
    record Entry(MessageMeta meta, String file) {
    }

    /** Everything loaded from the file. */
    static final class Snapshot {
        long uidValidity;
        long highestModSeq;
        long recentClaimed;
        long expungeFloor;
        /** The last trusted scan's stamps, or null. */
        Stamps stamps;
        final TreeMap<Long, Entry> entries = new TreeMap<>();
        final TreeMap<Long, List<Long>> expungeLog = new TreeMap<>();
        /** Cache entries to write ({@link #rewrite}), or written after {@link #packed} (they win). */
        final Map<Long, Map<String, byte[]>> cache = new HashMap<>();
        /** Cache entries as {@link #load} found them, packed; null when none (or not loaded). */
        PackedCache packed;

        /** The entry as a load or a rewrite would see it: {@link #cache} first, then {@link #packed}. */
        byte[] cached(long uid, String key) {
            Map<String, byte[]> values = cache.get(uid);
            byte[] v = values == null ? null : values.get(key);
            return v != null || packed == null ? v : packed.get(uid, key);
        }
    }

    /** Directory and uidlist stamps of a scan. */
    record Stamps(long curNanos, long newNanos, long uidlistSize, String uidlistKey) {
    }

    /**
     * The log is never compacted below this many records. Not a setting: fault-injection tests
     * ({@code CrashWorker}) lower it so that a run of a few hundred messages compacts too.
     */
    static int compactAfterRecords = 4096;

    private final Path file;
    private final FsyncPolicy fsync;
    private FileChannel out;
    private final ByteArrayOutputStream pendingCache = new RecordBuffer();
    private long pendingRecords;
    private long records;
    /**
     * About how many records a compacted file would hold: messages, cache entries, expunges, state. Cache
     * entries count: a snapshot with two cache entries per message is already three records per message, and
     * must not look like a log full of overwritten records (that made every flag change rewrite the file).
     */
    private long liveEstimate;

    MaildirIndex(Path folderDir, FsyncPolicy fsync) {
        this.file = folderDir.resolve(FILE);
        this.fsync = fsync;
    }

    /**
     * Loads the index for this UIDVALIDITY; null when missing, corrupt or for another UIDVALIDITY. The
     * file is read through a window of at most 1 MiB ({@link MaildirIndexReader}), not as one array:
     * a 10,000-message index with its cache is several MiB, and one array that size goes straight to
     * the old generation and, in a JVM that has just started, forces a full collection to make room.
     */
    Snapshot load(long uidValidity) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MaildirIndexReader in = new MaildirIndexReader(ch);
            if (!in.available(0, HEADER) || !in.startsWith(MAGIC)) {
                LOG.warn("{}: bad header, rebuilding", file);
                return null;
            }
            Snapshot s = new Snapshot();
            s.uidValidity = in.longAt(8);
            // Cache values are most of the file: sized for it, the builder's chunks rarely grow.
            PackedCache.Builder cache = new PackedCache.Builder((int) Math.min(1 << 20, in.size() / 256), in.size());
            Presence present = new Presence();
            if (s.uidValidity != uidValidity) {
                return null;
            }
            long pos = HEADER;
            CRC32 crc = new CRC32();
            long count = 0;
            while (in.available(pos, 9)) {
                byte type = in.byteAt(pos);
                int len = in.intAt(pos + 1);
                if (len < 0 || !in.available(pos, 5 + len + 4)) {
                    break;
                }
                if (in.crc(crc, pos, 5 + len) != in.intAt(pos + 5 + len)) {
                    break;
                }
                try {
                    apply(s, cache, present, type, in.record(pos + 5, len));
                } catch (IOException | RuntimeException e) {
                    break;
                }
                pos += 5 + len + 4;
                count++;
            }
            if (pos != in.size()) {
                LOG.warn("{}: torn or corrupt tail at {} of {}, truncating", file, pos, in.size());
                try (FileChannel w = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    w.truncate(pos);
                } catch (IOException e) {
                    return null;
                }
            }
            records = count;
            s.packed = cache.size() == 0 ? null : cache.build();
            liveEstimate = 1 + s.entries.size() + s.expungeLog.size() + cache.size();
            return s;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("{}: unreadable, rebuilding: {}", file, e.getMessage());
            return null;
        }
    }

    /**
     * Whether a message has a record at this point of the load, as {@code s.entries.containsKey} says, without
     * its cost per cache record: UIDs that ever had a record in a primitive set; the map is asked only for UIDs
     * that an expunge record removed (rare), since a later message record could in principle bring one back.
     */
    private static final class Presence {
        final UidSet recorded = new UidSet();
        final java.util.HashSet<Long> expunged = new java.util.HashSet<>();

        boolean has(Snapshot s, long uid) {
            return recorded.contains(uid) && (expunged.isEmpty() || !expunged.contains(uid) || s.entries.containsKey(uid));
        }
    }

    /*
     * Decoding runs once per record and, after a restart, in a JVM that has not compiled it yet: it reads
     * fields straight from the file's bytes (no stream objects per record), shares one flag set per
     * combination and one string per cache key, and copies cache values into the packed cache (no array
     * or map per message). Fewer objects also mean fewer and cheaper young collections while a big folder loads.
     */
    private static void apply(Snapshot s, PackedCache.Builder cache, Presence present, byte type, MaildirIndexReader in)
            throws IOException {
        switch (type) {
            case 'M' -> {
                long uid = in.readLong();
                long modSeq = in.readLong();
                int bits = in.readUnsignedByte();
                long vsize = in.readLong();
                long date = in.readLong();
                String file = in.readUTF();
                int n = in.readShort();
                Set<String> kw;
                if (n <= 0) {
                    kw = Collections.emptySet();
                } else {
                    Set<String> read = new LinkedHashSet<>();
                    for (int i = 0; i < n; i++) {
                        read.add(in.readUTF());
                    }
                    kw = Collections.unmodifiableSet(read);
                }
                MessageMeta meta = new MessageMeta(uid, flagSet(bits), kw, vsize, Instant.ofEpochSecond(date), modSeq);
                s.entries.put(uid, new Entry(meta, file));
                if (uid > 0) {
                    present.recorded.add(uid);
                }
                s.highestModSeq = Math.max(s.highestModSeq, modSeq);
            }
            case 'X' -> {
                long modSeq = in.readLong();
                int n = in.readInt();
                List<Long> uids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long uid = in.readLong();
                    uids.add(uid);
                    s.entries.remove(uid);
                    cache.remove(uid);
                    present.expunged.add(uid);
                }
                s.expungeLog.computeIfAbsent(modSeq, k -> new ArrayList<>()).addAll(uids);
                s.highestModSeq = Math.max(s.highestModSeq, modSeq);
            }
            case 'C' -> {
                long uid = in.readLong();
                String key = in.readCacheKey();
                int n = in.readInt();
                if (present.has(s, uid)) {
                    in.readInto(cache, uid, key, n); // no array per value: see PackedCache
                } else {
                    in.skip(n);
                }
            }
            case 'S' -> {
                s.highestModSeq = Math.max(s.highestModSeq, in.readLong());
                s.recentClaimed = Math.max(s.recentClaimed, in.readLong());
                s.expungeFloor = Math.max(s.expungeFloor, in.readLong());
            }
            case 'D' -> s.stamps = new Stamps(in.readLong(), in.readLong(), in.readLong(), in.readUTF());
            default -> throw new IOException("unknown record " + type);
        }
    }

    /** One unmodifiable set per combination of the five flags, shared by every message that has it. */
    private static final List<Set<Flag>> FLAG_SETS = flagSets();

    private static List<Set<Flag>> flagSets() {
        Flag[] all = Flag.values();
        List<Set<Flag>> sets = new ArrayList<>(1 << all.length);
        for (int bits = 0; bits < 1 << all.length; bits++) {
            EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
            for (Flag f : all) {
                if ((bits & (1 << f.ordinal())) != 0) {
                    flags.add(f);
                }
            }
            sets.add(Collections.unmodifiableSet(flags));
        }
        return List.copyOf(sets);
    }

    private static Set<Flag> flagSet(int bits) {
        // Bits of flags this version does not know (a newer writer) are ignored, as before.
        return FLAG_SETS.get(bits & (FLAG_SETS.size() - 1));
    }

    // ---- writing ----

    void putMessages(Collection<MessageMeta> metas, Map<Long, String> files) {
        if (metas.isEmpty() || !writable()) {
            return;
        }
        ByteArrayOutputStream buf = new RecordBuffer();
        for (MessageMeta m : metas) {
            frame(buf, 'M', out -> writeMeta(out, m, files.get(m.uid())));
        }
        append(buf.toByteArray(), metas.size());
    }

    void putExpunge(List<Long> uids, long modSeq) {
        if (uids.isEmpty() || !writable()) {
            return;
        }
        ByteArrayOutputStream buf = new RecordBuffer();
        frame(buf, 'X', out -> {
            out.writeLong(modSeq);
            out.writeInt(uids.size());
            for (long uid : uids) {
                out.writeLong(uid);
            }
        });
        liveEstimate++;
        append(buf.toByteArray(), 1);
    }

    /**
     * Cache entries are buffered (up to 64 KiB) and written with the next record or {@link #flush}:
     * an IMAP client fetching envelopes of a whole mailbox costs a few writes, not one per message.
     * Losing buffered entries in a crash costs only cache misses.
     */
    void putCache(long uid, String key, byte[] value) {
        frame(pendingCache, 'C', out -> {
            out.writeLong(uid);
            out.writeUTF(key);
            out.writeInt(value.length);
            out.write(value);
        });
        pendingRecords++;
        if (pendingCache.size() > 65536) {
            flush();
        }
    }

    /** Writes buffered cache entries. */
    void flush() {
        if (pendingRecords > 0) {
            byte[] bytes = pendingCache.toByteArray();
            long n = pendingRecords;
            pendingCache.reset();
            pendingRecords = 0;
            liveEstimate += n; // new keys: a message's entry is written once, when missing
            append(bytes, n);
        }
    }

    void putState(long highestModSeq, long recentClaimed, long expungeFloor) {
        if (!writable()) {
            return;
        }
        ByteArrayOutputStream buf = new RecordBuffer();
        frame(buf, 'S', out -> {
            out.writeLong(highestModSeq);
            out.writeLong(recentClaimed);
            out.writeLong(expungeFloor);
        });
        append(buf.toByteArray(), 1);
    }

    void putStamps(Stamps st) {
        if (!writable()) {
            return;
        }
        ByteArrayOutputStream buf = new RecordBuffer();
        frame(buf, 'D', out -> {
            out.writeLong(st.curNanos());
            out.writeLong(st.newNanos());
            out.writeLong(st.uidlistSize());
            out.writeUTF(st.uidlistKey());
        });
        append(buf.toByteArray(), 1);
    }

    /** Whether the log has grown enough, relative to its live records, to be worth compacting. */
    boolean wantsCompaction(int liveMessages) {
        return records > compactAfterRecords && records > 3L * Math.max(liveMessages, liveEstimate);
    }

    /**
     * Writes a complete snapshot as a new file (tmp + rename). The expunge log is kept only for its
     * last 10,000 UIDs; older expunges raise the floor, below which QRESYNC gets no VANISHED list.
     */
    void rewrite(Snapshot s) {
        pendingCache.reset();
        pendingRecords = 0;
        close();
        Path tmp = file.resolveSibling(FILE + ".tmp");
        ByteArrayOutputStream buf = new RecordBuffer();
        buf.writeBytes(MAGIC);
        buf.writeBytes(ByteBuffer.allocate(8).putLong(s.uidValidity).array());
        long floor = s.expungeFloor;
        int kept = 0;
        TreeMap<Long, List<Long>> log = new TreeMap<>();
        for (Map.Entry<Long, List<Long>> e : s.expungeLog.descendingMap().entrySet()) {
            if (kept > 10_000) {
                floor = Math.max(floor, e.getKey());
                continue;
            }
            log.put(e.getKey(), e.getValue());
            kept += e.getValue().size();
        }
        long finalFloor = floor;
        frame(buf, 'S', out -> {
            out.writeLong(s.highestModSeq);
            out.writeLong(s.recentClaimed);
            out.writeLong(finalFloor);
        });
        long n = 1;
        for (Entry e : s.entries.values()) {
            frame(buf, 'M', out -> writeMeta(out, e.meta(), e.file()));
            n++;
        }
        for (Map.Entry<Long, List<Long>> e : log.entrySet()) {
            frame(buf, 'X', out -> {
                out.writeLong(e.getKey());
                out.writeInt(e.getValue().size());
                for (long uid : e.getValue()) {
                    out.writeLong(uid);
                }
            });
            n++;
        }
        if (s.packed != null) {
            long[] packedCount = {0};
            s.packed.forEach((uid, key, data, off, len) -> {
                Map<String, byte[]> newer = s.cache.get(uid);
                if (!s.entries.containsKey(uid) || newer != null && newer.containsKey(key)) {
                    return; // expunged since the load, or replaced by an entry written after it
                }
                frame(buf, 'C', out -> {
                    out.writeLong(uid);
                    out.writeUTF(key);
                    out.writeInt(len);
                    out.write(data, off, len);
                });
                packedCount[0]++;
            });
            n += packedCount[0];
        }
        for (Map.Entry<Long, Map<String, byte[]>> c : s.cache.entrySet()) {
            for (Map.Entry<String, byte[]> kv : c.getValue().entrySet()) {
                frame(buf, 'C', out -> {
                    out.writeLong(c.getKey());
                    out.writeUTF(kv.getKey());
                    out.writeInt(kv.getValue().length);
                    out.write(kv.getValue());
                });
                n++;
            }
        }
        try {
            fsync.replace(tmp, file, buf.toByteArray());
            records = n;
            liveEstimate = n;
        } catch (IOException e) {
            LOG.warn("{}: rewrite failed (the index will be rebuilt): {}", file, e.getMessage());
        }
    }

    /**
     * Whether appends can land: the file is open or exists. Without one (first build, or deleted to
     * force a rebuild) the owner writes a full snapshot next, so framing records now would be wasted
     * work; on a cold open of 10,000 messages that was a second encoding of the whole index.
     */
    private boolean writable() {
        return out != null || Files.exists(file);
    }

    private void append(byte[] bytes, long count) {
        if (pendingRecords > 0) {
            flush();
        }
        try {
            if (out == null) {
                if (!Files.exists(file)) {
                    // Without a header the file is useless: the owner rewrites a full snapshot first.
                    return;
                }
                out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
            records += count;
        } catch (IOException e) {
            LOG.warn("{}: append failed (the index will be rebuilt): {}", file, e.getMessage());
            close();
        }
    }

    boolean exists() {
        return Files.exists(file);
    }

    void delete() {
        pendingCache.reset();
        pendingRecords = 0;
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("{}: delete failed: {}", file, e.getMessage());
        }
    }

    void close() {
        flush();
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing to do
            }
            out = null;
        }
    }

    private static void writeMeta(DataOutputStream out, MessageMeta m, String file) throws IOException {
        out.writeLong(m.uid());
        out.writeLong(m.modSeq());
        int bits = 0;
        for (Flag f : m.flags()) {
            bits |= 1 << f.ordinal();
        }
        out.writeByte(bits);
        out.writeLong(m.size());
        out.writeLong(m.internalDate().getEpochSecond());
        out.writeUTF(file == null ? "" : file);
        out.writeShort(m.keywords().size());
        for (String k : m.keywords()) {
            out.writeUTF(k);
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Appends one record (type, length, payload, CRC) to buf. The payload is encoded straight into
     * buf after a placeholder header and patched in place: no per-record streams or copies, which
     * matters when a cold open writes 10,000 records at once.
     */
    private static void frame(ByteArrayOutputStream buf, char type, Body body) {
        RecordBuffer rb = buf instanceof RecordBuffer r ? r : null;
        if (rb == null) {
            RecordBuffer tmp = new RecordBuffer();
            frame(tmp, type, body);
            buf.write(tmp.bytes(), 0, tmp.size());
            return;
        }
        try {
            int start = rb.size();
            rb.write(type);
            rb.writeInt(0);
            body.write(rb.data);
            int len = rb.size() - start - 5;
            rb.patchInt(start + 1, len);
            CRC32 crc = new CRC32();
            crc.update(rb.bytes(), start, 5 + len);
            rb.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A growable byte buffer whose bytes can be patched and read without copying. */
    private static final class RecordBuffer extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        RecordBuffer() {
            super(256);
        }

        byte[] bytes() {
            return buf;
        }

        void writeInt(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void patchInt(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }
    }
}
