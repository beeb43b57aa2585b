package org.mailserver.core.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue file format: one file per message, named by its queue ID, in one of the queue
 * directories. Owned by this class (read, append) and {@link QueueFileWriter} (create).
 *
 * <pre>
 * file    = magic version *record
 * magic   = "MSQF"              4 bytes
 * version = %x01                1 byte
 * record  = type length payload crc
 * type    = 1 byte (below)      length = 4 bytes big-endian, payload size (at most 1 MiB)
 * crc     = 4 bytes big-endian CRC-32 over the type byte and the payload
 *
 * Written once, when the message is received, in this order:
 *   'V' "name=value"     envelope attribute: sender, arrival (epoch ms), envid, ret, body, smtputf8, client, helo, auth
 *   'R' "addr TAB orcpt TAB notify"   one per recipient, in RCPT order (index 0, 1, ...); empty field = absent
 *   'M' bytes            a chunk of the message content (CRLF lines), repeated; the content is their concatenation
 *   'X' "size"           end of message: the file is complete. Written, then the file is fsynced and renamed into active/.
 * Appended later by the queue manager, each record fsynced before the manager acts on it:
 *   'Q' "epochms"        a delivery attempt ended with recipients still deferred (counts attempts; backoff derives from it)
 *   'I' "index TAB epochms"             optional: delivery of recipient index in progress ("in doubt" after a crash);
 *                                       the manager does not write it (everything recovered from active/ is in doubt)
 *   'F' "index TAB epochms TAB dsn TAB reply"   a temporary failure for that recipient (last deferral reason)
 *   'D' "index TAB status TAB dsn TAB reply"    recipient done: status sent, bounced or expired. Never delivered again.
 *   'W' "epochms"        the delay notice was sent
 * </pre>
 *
 * <p>Crash guarantees: a file without its 'X' record was never acknowledged and is deleted from
 * {@code incoming/} on start; a complete one there may have been (a spare file is forced in place, see
 * {@link FileMessageQueue#recoverIncoming}) and moves to {@code active/}. A torn record after 'X' (crash during an append) is cut off on the next
 * read: it was never fsynced, so nothing acted on it. Anything else that does not parse (bad magic,
 * unknown type, bad CRC before 'X') makes the file corrupt; the queue moves it to {@code corrupt/}.
 * Modelled on Postfix's record types ({@code global/rec_type.h}), with a CRC because we append in place.
 */
public final class QueueFile {
    private static final Logger log = LoggerFactory.getLogger(QueueFile.class);

    static final byte[] MAGIC = {'M', 'S', 'Q', 'F'};
    static final byte VERSION = 1;
    static final int HEADER_SIZE = 5;
    static final int MAX_RECORD = 1 << 20;

    public static final byte ATTRIBUTE = 'V';
    public static final byte RECIPIENT = 'R';
    public static final byte CONTENT = 'M';
    public static final byte END = 'X';
    public static final byte ATTEMPT = 'Q';
    public static final byte IN_PROGRESS = 'I';
    public static final byte DEFERRED = 'F';
    public static final byte DONE = 'D';
    public static final byte WARNED = 'W';

    private QueueFile() {
    }

    /** Encodes one record (type, length, payload, CRC). */
    static ByteBuffer encode(byte type, byte[] payload, int offset, int length) {
        ByteBuffer buf = ByteBuffer.allocate(1 + 4 + length + 4);
        buf.put(type).putInt(length).put(payload, offset, length);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(payload, offset, length);
        buf.putInt((int) crc.getValue());
        return buf.flip();
    }

    static ByteBuffer encode(byte type, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return encode(type, bytes, 0, bytes.length);
    }

    /**
     * Appends records after the 'X' record and forces them to disk before returning: the caller may
     * act on them (skip a recipient, count an attempt) only afterwards.
     */
    public static void append(Path file, byte type, String payload) throws IOException {
        append(file, type, payload, true);
    }

    /**
     * Appends a record; {@code force = false} leaves it in the page cache (the next forced append, which
     * forces the whole file, or the file's removal settles it). For records whose loss a crash may cost
     * nothing but a check (see {@link FileMessageQueue#appendUnforced}).
     */
    static void append(Path file, byte type, String payload, boolean force) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = encode(type, payload);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (force) {
                ch.force(false);
            }
        }
    }

    /** Reads and validates a queue file; cuts off a torn tail after the 'X' record. */
    public static QueuedMessage read(Path file, String id) throws IOException, CorruptQueueFileException {
        return read(file, id, true);
    }

    /**
     * Reads and validates a queue file. With {@code repair}, a torn tail after 'X' is cut off; without
     * it (admin listings while the manager may be appending) the tail is only ignored.
     */
    public static QueuedMessage read(Path file, String id, boolean repair) throws IOException, CorruptQueueFileException {
        try (FileChannel ch = repair ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Source src = new Source(ch, size);
            ByteBuffer head = ByteBuffer.allocate(HEADER_SIZE);
            src.read(head, 0);
            if (head.position() < HEADER_SIZE || !startsWithMagic(head.array())) {
                throw new CorruptQueueFileException(id + ": bad magic");
            }
            if (head.get(4) != VERSION) {
                throw new CorruptQueueFileException(id + ": unsupported version " + head.get(4));
            }
            Parser parser = new Parser(id);
            long pos = HEADER_SIZE;
            while (pos < size) {
                long recordStart = pos;
                ByteBuffer rh = ByteBuffer.allocate(5);
                src.read(rh, pos);
                byte type = rh.get(0);
                int length = rh.position() == 5 ? rh.getInt(1) : -1;
                boolean torn = rh.position() < 5 || length < 0 || length > MAX_RECORD || recordStart + 9 + length > size;
                byte[] payload = null;
                if (!torn) {
                    ByteBuffer body = ByteBuffer.allocate(length + 4);
                    src.read(body, pos + 5);
                    payload = java.util.Arrays.copyOf(body.array(), length);
                    CRC32 crc = new CRC32();
                    crc.update(type);
                    crc.update(payload);
                    torn = body.getInt(length) != (int) crc.getValue();
                }
                if (torn) {
                    if (!parser.complete) {
                        throw new CorruptQueueFileException(id + ": damaged record at offset " + recordStart);
                    }
                    if (repair) {
                        log.warn("{}: cutting off a torn record at offset {} (crash during an append)", id, recordStart);
                        ch.truncate(recordStart);
                        ch.force(false);
                    }
                    break;
                }
                parser.accept(type, payload, pos + 5);
                pos = recordStart + 9 + length;
            }
            if (!parser.complete) {
                throw new CorruptQueueFileException(id + ": no end-of-message record");
            }
            return parser.build();
        }
    }

    /** The message content: the concatenated payloads of the 'M' records. */
    public static InputStream openContent(Path file, QueuedMessage message) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return new ContentStream(ch, message.contentSegments());
    }

    private static boolean startsWithMagic(byte[] head) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads records for {@link #read}: a file up to {@value #WHOLE_FILE_LIMIT} bytes (nearly every
     * message) is read with one system call and parsed from memory; a bigger one record by record.
     */
    private static final class Source {
        static final int WHOLE_FILE_LIMIT = 256 * 1024;
        private final FileChannel ch;
        private final ByteBuffer whole;

        Source(FileChannel ch, long size) throws IOException {
            this.ch = ch;
            if (size <= WHOLE_FILE_LIMIT) {
                ByteBuffer b = ByteBuffer.allocate((int) size);
                readFully(ch, b, 0);
                b.flip();
                whole = b;
            } else {
                whole = null;
            }
        }

        /** Fills {@code buf} from {@code position} as far as the file goes (as {@link #readFully}). */
        void read(ByteBuffer buf, long position) throws IOException {
            if (whole == null) {
                readFully(ch, buf, position);
                return;
            }
            if (position >= whole.limit()) {
                return;
            }
            int n = (int) Math.min(buf.remaining(), whole.limit() - position);
            buf.put(whole.array(), (int) position, n);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                return;
            }
        }
    }

    static String[] fields(byte[] payload, int count) {
        String s = new String(payload, StandardCharsets.UTF_8);
        String[] parts = s.split("\t", count);
        if (parts.length != count) {
            String[] padded = java.util.Arrays.copyOf(parts, count);
            for (int i = parts.length; i < count; i++) {
                padded[i] = "";
            }
            return padded;
        }
        return parts;
    }

    /** Turns records into a {@link QueuedMessage}; enforces record order. */
    private static final class Parser {
        private final String id;
        private final Map<String, String> attributes = new HashMap<>();
        private final List<Envelope.Recipient> recipients = new ArrayList<>();
        private final List<long[]> segments = new ArrayList<>();
        private final List<QueuedMessage.RecipientState> states = new ArrayList<>();
        private long contentSize;
        private boolean complete;
        private int attempts;
        private Instant lastAttempt;
        private boolean warned;

        Parser(String id) {
            this.id = id;
        }

        void accept(byte type, byte[] payload, long payloadOffset) throws CorruptQueueFileException {
            try {
                if (!complete) {
                    acceptHeader(type, payload, payloadOffset);
                } else {
                    acceptMark(type, payload);
                }
            } catch (RuntimeException e) {
                throw new CorruptQueueFileException(id + ": bad record '" + (char) type + "': " + e.getMessage());
            }
        }

        private void acceptHeader(byte type, byte[] payload, long payloadOffset) throws CorruptQueueFileException {
            switch (type) {
                case ATTRIBUTE -> {
                    String s = new String(payload, StandardCharsets.UTF_8);
                    int eq = s.indexOf('=');
                    if (eq <= 0) {
                        throw new CorruptQueueFileException(id + ": bad attribute record");
                    }
                    attributes.put(s.substring(0, eq), s.substring(eq + 1));
                }
                case RECIPIENT -> {
                    String[] f = fields(payload, 3);
                    recipients.add(new Envelope.Recipient(f[0], emptyToNull(f[1]), emptyToNull(f[2])));
                    states.add(new QueuedMessage.RecipientState());
                }
                case CONTENT -> {
                    segments.add(new long[] {payloadOffset, payload.length});
                    contentSize += payload.length;
                }
                case END -> {
                    long declared = Long.parseLong(new String(payload, StandardCharsets.US_ASCII));
                    if (declared != contentSize) {
                        throw new CorruptQueueFileException(id + ": content size " + contentSize + " != declared " + declared);
                    }
                    if (recipients.isEmpty() || !attributes.containsKey("sender") || !attributes.containsKey("arrival")) {
                        throw new CorruptQueueFileException(id + ": envelope incomplete");
                    }
                    complete = true;
                }
                default -> throw new CorruptQueueFileException(id + ": unexpected record '" + (char) type + "' before end of message");
            }
        }

        private void acceptMark(byte type, byte[] payload) throws CorruptQueueFileException {
            switch (type) {
                case ATTEMPT -> {
                    attempts++;
                    lastAttempt = Instant.ofEpochMilli(Long.parseLong(new String(payload, StandardCharsets.US_ASCII)));
                }
                case WARNED -> warned = true;
                case IN_PROGRESS -> {
                    String[] f = fields(payload, 2);
                    state(f[0]).inDoubt = true;
                }
                case DEFERRED -> {
                    String[] f = fields(payload, 4);
                    QueuedMessage.RecipientState st = state(f[0]);
                    st.inDoubt = false;
                    st.lastDsn = f[2];
                    st.lastReply = f[3];
                }
                case DONE -> {
                    String[] f = fields(payload, 4);
                    QueuedMessage.RecipientState st = state(f[0]);
                    st.inDoubt = false;
                    st.done = QueuedMessage.Outcome.valueOf(f[1].toUpperCase(java.util.Locale.ROOT));
                    st.lastDsn = f[2];
                    st.lastReply = f[3];
                }
                default -> throw new CorruptQueueFileException(id + ": unexpected record '" + (char) type + "' after end of message");
            }
        }

        private QueuedMessage.RecipientState state(String index) throws CorruptQueueFileException {
            int i = Integer.parseInt(index);
            if (i < 0 || i >= states.size()) {
                throw new CorruptQueueFileException(id + ": recipient index out of range: " + i);
            }
            return states.get(i);
        }

        QueuedMessage build() {
            Envelope env = new Envelope(attributes.get("sender"), List.copyOf(recipients),
                attributes.get("envid"), attributes.get("ret"), attributes.getOrDefault("body", "7BIT"),
                "yes".equals(attributes.get("smtputf8")), attributes.get("client"), attributes.get("helo"),
                attributes.get("auth"), Instant.ofEpochMilli(Long.parseLong(attributes.get("arrival"))));
            return new QueuedMessage(id, env, states, segments, contentSize, attempts, lastAttempt, warned);
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Envelope attribute records, in the order the writer emits them. */
    static List<String> attributes(Envelope env) {
        List<String> out = new ArrayList<>();
        out.add("sender=" + env.sender());
        out.add("arrival=" + (env.arrival() == null ? System.currentTimeMillis() : env.arrival().toEpochMilli()));
        if (env.envId() != null) {
            out.add("envid=" + env.envId());
        }
        if (env.ret() != null) {
            out.add("ret=" + env.ret());
        }
        out.add("body=" + (env.bodyType() == null ? "7BIT" : env.bodyType()));
        out.add("smtputf8=" + (env.smtpUtf8() ? "yes" : "no"));
        if (env.client() != null) {
            out.add("client=" + env.client());
        }
        if (env.helo() != null) {
            out.add("helo=" + env.helo());
        }
        if (env.authUser() != null) {
            out.add("auth=" + env.authUser());
        }
        return out;
    }

    static String recipientPayload(Envelope.Recipient r) {
        return r.address() + "\t" + (r.orcpt() == null ? "" : r.orcpt()) + "\t" + (r.notifyOn() == null ? "" : r.notifyOn());
    }

    /** Removes tabs and line breaks from free text stored in a tab-separated record. */
    static String clean(String text) {
        return text == null ? "" : text.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }

    /** Reads content segments in order from an open channel. */
    private static final class ContentStream extends InputStream {
        private final FileChannel ch;
        private final List<long[]> segments;
        private int segment;
        private long offsetInSegment;

        ContentStream(FileChannel ch, List<long[]> segments) {
            this.ch = ch;
            this.segments = segments;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (segment < segments.size() && offsetInSegment >= segments.get(segment)[1]) {
                segment++;
                offsetInSegment = 0;
            }
            if (segment >= segments.size()) {
                return -1;
            }
            long[] seg = segments.get(segment);
            int want = (int) Math.min(len, seg[1] - offsetInSegment);
            int n = ch.read(ByteBuffer.wrap(b, off, want), seg[0] + offsetInSegment);
            if (n < 0) {
                throw new IOException("queue file shorter than its records");
            }
            offsetInSegment += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** For tests and tools: the bytes of one record as written. */
    static byte[] recordBytes(byte type, String payload) {
        ByteBuffer b = encode(type, payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b.array(), 0, b.limit());
        return out.toByteArray();
    }
}
