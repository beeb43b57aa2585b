package org.mailserver.smtp.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Converts an 8-bit MIME message to 7-bit for a server that does not offer 8BITMIME (RFC 6152 3: the client
 * "MUST either return the message... or convert it to 7 bit"), as Postfix does with
 * {@code disable_mime_output_conversion = no}: every leaf part whose body holds octets above 127 gets
 * {@code Content-Transfer-Encoding: quoted-printable} (RFC 2045 6.7); everything else, headers included,
 * passes byte for byte. Multiparts are walked by their boundaries (RFC 2046 5.1.1) and message/rfc822
 * parts, which may only be 7bit/8bit/binary (RFC 2045 6.4), are converted inside.
 *
 * <p>Two passes over the raw bytes, both streaming with memory bounded by one header section: {@link #scan}
 * finds which leaves need encoding (and the size of the result), or why the message cannot be converted
 * (8-bit octets in a header, a preamble/epilogue, or a part already declared base64/quoted-printable);
 * {@link #convert} then produces the 7-bit message. Called by {@link SmtpDeliveryAgent} on delivery threads;
 * it holds no state between messages and writes nothing to disk.
 */
final class EightBitDowngrader {
    /** What {@link #scan} found. {@code eightBit} false means: send the original bytes as they are. */
    record Plan(boolean eightBit, String refusal, BitSet leavesToEncode, long convertedSize) {
        boolean convertible() {
            return refusal == null;
        }
    }

    static final byte[] CRLF = {'\r', '\n'};

    private EightBitDowngrader() {
    }

    /** First pass: reads the whole message. */
    static Plan scan(InputStream message) throws IOException {
        CountingOut out = new CountingOut();
        Engine e = new Engine(null, out);
        e.run(message);
        long size = out.count;
        for (int leaf = e.found.nextSetBit(0); leaf >= 0; leaf = e.found.nextSetBit(leaf + 1)) {
            size += e.growth.get(leaf);
        }
        return new Plan(e.sawEightBit, e.refusal, e.found, size);
    }

    /** Second pass: the 7-bit message, from the same bytes and the plan of {@link #scan}. */
    static void convert(InputStream message, Plan plan, OutputStream out) throws IOException {
        new Engine(plan.leavesToEncode(), out).run(message);
    }

    /** The converted message as a stream, produced line by line as it is read (memory: one line or header section). */
    static InputStream converting(InputStream message, Plan plan) {
        return new InputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
            private final Engine engine = new Engine(plan.leavesToEncode(), pending);
            private final MessageLines lines = new MessageLines(message);
            private byte[] buf = new byte[0];
            private int pos;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (pos >= buf.length) {
                    if (done) {
                        return -1;
                    }
                    byte[] line = lines.next();
                    if (line == null) {
                        engine.finish();
                        done = true;
                    } else {
                        engine.line(line);
                    }
                    buf = pending.toByteArray();
                    pending.reset();
                    pos = 0;
                }
                int n = Math.min(len, buf.length - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                message.close();
            }
        };
    }

    /** One MIME entity being read: its header section, then its body in one of the body states. */
    private static final class Entity {
        enum State { HEADERS, PREAMBLE, PARTS, EPILOGUE, ENCAPSULATED, LEAF }

        State state = State.HEADERS;
        final boolean message;          // top level or inside message/rfc822: MIME-Version belongs here
        final String defaultType;       // RFC 2046 5.1.5: parts of multipart/digest default to message/rfc822
        final List<byte[]> header = new ArrayList<>();
        String boundary;                // for multiparts
        boolean digest;                 // multipart/digest
        boolean encode;                 // a leaf whose 8-bit body becomes quoted-printable
        int leaf = -1;
        boolean leafEncodable;
        boolean leafHasEightBit;

        Entity(boolean message, String defaultType) {
            this.message = message;
            this.defaultType = defaultType;
        }
    }

    /** The line-driven state machine shared by both passes; {@code plan == null} means scanning. */
    private static final class Engine {
        private final BitSet plan;
        private final OutputStream out;
        final BitSet found = new BitSet();
        /** Scan only: by leaf, how many octets quoted-printable would add (header and body). */
        final List<Long> growth = new ArrayList<>();
        boolean sawEightBit;
        String refusal;
        private final Deque<Entity> stack = new ArrayDeque<>();
        private int leaves;

        Engine(BitSet plan, OutputStream out) {
            this.plan = plan;
            this.out = out;
            stack.push(new Entity(true, "text/plain"));
        }

        void run(InputStream in) throws IOException {
            MessageLines r = new MessageLines(in);
            for (byte[] line; (line = r.next()) != null; ) {
                line(line);
            }
            finish();
        }

        void line(byte[] line) throws IOException {
            boolean eight = hasEightBit(line);
            sawEightBit |= eight;
            if (boundaryLine(line)) {
                return;
            }
            Entity e = stack.peek();
            switch (e.state) {
                case HEADERS -> {
                    if (eight) {
                        refuse("8-bit octets in a message header cannot be converted to 7 bit");
                    }
                    if (contentLength(line) == 0) {
                        endHeaders(e);
                        out.write(line);
                    } else {
                        e.header.add(line);
                    }
                }
                case PREAMBLE, EPILOGUE -> {
                    if (eight) {
                        // RFC 2046 5.1.1: preamble and epilogue belong to no part, so no encoding can carry them.
                        refuse("8-bit octets in a multipart preamble or epilogue cannot be converted to 7 bit");
                    }
                    out.write(line);
                }
                case LEAF -> {
                    if (eight && plan == null) {
                        if (!e.leafEncodable) {
                            refuse("8-bit octets in a part whose Content-Transfer-Encoding is not 7bit, 8bit or binary");
                        }
                        found.set(e.leaf);
                    }
                    if (plan == null) {
                        CountingOut c = new CountingOut();
                        QuotedPrintable.encodeLine(line, c);
                        growth.set(e.leaf, growth.get(e.leaf) + c.count - line.length);
                    }
                    if (e.encode) {
                        QuotedPrintable.encodeLine(line, out);
                    } else {
                        out.write(line);
                    }
                }
                default -> out.write(line); // PARTS/ENCAPSULATED never receive lines: a child is on top
            }
        }

        void finish() throws IOException {
            for (Entity e : stack) {
                if (e.state == Entity.State.HEADERS) {
                    // A header section without its blank line (message ends there): emit it unchanged.
                    for (byte[] h : e.header) {
                        out.write(h);
                    }
                }
            }
            stack.clear();
        }

        private void refuse(String why) {
            if (refusal == null) {
                refusal = why;
            }
        }

        /** RFC 2046 5.1.1: "--boundary" or "--boundary--", then only linear white space. */
        private boolean boundaryLine(byte[] line) throws IOException {
            if (line.length < 3 || line[0] != '-' || line[1] != '-') {
                return false;
            }
            int depth = 0;
            for (Entity e : stack) {
                if (e.boundary != null && (e.state == Entity.State.PREAMBLE || e.state == Entity.State.PARTS)) {
                    int close = matches(line, e.boundary);
                    if (close >= 0) {
                        for (int i = 0; i < depth; i++) {
                            Entity ended = stack.pop();
                            if (ended.state == Entity.State.HEADERS) {
                                for (byte[] h : ended.header) {
                                    out.write(h);
                                }
                            }
                        }
                        out.write(line);
                        if (close == 1) {
                            e.state = Entity.State.EPILOGUE;
                        } else {
                            e.state = Entity.State.PARTS;
                            stack.push(new Entity(false, e.digest ? "message/rfc822" : "text/plain"));
                        }
                        return true;
                    }
                }
                depth++;
            }
            return false;
        }

        /** -1: not this boundary; 0: a delimiter; 1: the close delimiter. */
        private static int matches(byte[] line, String boundary) {
            int n = boundary.length();
            if (line.length < 2 + n) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (line[2 + i] != (byte) boundary.charAt(i)) {
                    return -1;
                }
            }
            int i = 2 + n;
            int close = 0;
            if (i + 1 < line.length && line[i] == '-' && line[i + 1] == '-') {
                close = 1;
                i += 2;
            }
            for (; i < line.length; i++) {
                byte c = line[i];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return -1;
                }
            }
            return close;
        }

        private void endHeaders(Entity e) throws IOException {
            MimeHeaders h = MimeHeaders.parse(e.header);
            String type = h.contentType() == null ? e.defaultType : h.contentType();
            String cte = h.transferEncoding() == null ? "7bit" : h.transferEncoding();
            boolean identity = cte.equals("7bit") || cte.equals("8bit") || cte.equals("binary");
            if (type.startsWith("multipart/") && h.boundary() != null && identity) {
                writeHeader(e.header);
                e.boundary = h.boundary();
                e.state = Entity.State.PREAMBLE;
                e.digest = type.equals("multipart/digest");
                return;
            }
            if (type.equals("message/rfc822") && identity) {
                // RFC 2045 6.4: no encoding other than 7bit/8bit/binary for message/rfc822; convert inside it.
                writeHeader(e.header);
                e.state = Entity.State.ENCAPSULATED;
                stack.push(new Entity(true, "text/plain"));
                return;
            }
            e.state = Entity.State.LEAF;
            e.leaf = leaves++;
            e.leafEncodable = identity;
            e.encode = plan != null && plan.get(e.leaf);
            if (plan == null) {
                CountingOut c = new CountingOut();
                writeEncodedHeader(e, h, c);
                growth.add(c.count - e.header.stream().mapToLong(l -> l.length).sum());
            }
            if (e.encode) {
                writeEncodedHeader(e, h, out);
            } else {
                writeHeader(e.header);
            }
        }

        /** RFC 2045 6.7: the part's 8-bit body becomes quoted-printable, and its header says so. */
        private static void writeEncodedHeader(Entity e, MimeHeaders h, OutputStream out) throws IOException {
            boolean replaced = false;
            boolean skipping = false;
            for (byte[] line : e.header) {
                boolean continuation = line[0] == ' ' || line[0] == '\t';
                if (continuation && skipping) {
                    continue;
                }
                skipping = false;
                if (!continuation && MimeHeaders.isField(line, "content-transfer-encoding")) {
                    skipping = true;
                    if (!replaced) {
                        out.write(ascii("Content-Transfer-Encoding: quoted-printable"));
                        out.write(CRLF);
                        replaced = true;
                    }
                    continue;
                }
                out.write(line);
            }
            if (e.message && !h.mimeVersion()) {
                // RFC 2045 4: the encoding header means something only in a message with MIME-Version.
                out.write(ascii("MIME-Version: 1.0"));
                out.write(CRLF);
            }
            if (!replaced) {
                out.write(ascii("Content-Transfer-Encoding: quoted-printable"));
                out.write(CRLF);
            }
        }

        private void writeHeader(List<byte[]> header) throws IOException {
            for (byte[] line : header) {
                out.write(line);
            }
        }
    }

    /** The line without its terminator (LF or CRLF). */
    static int contentLength(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == '\n') {
            n--;
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
        }
        return n;
    }

    static boolean hasEightBit(byte[] line) {
        for (byte b : line) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static final class CountingOut extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

}
