package org.mailserver.imap.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The payload of one client literal (RFC 3501 4.3). Small literals stay in memory; beyond
 * {@link #SPOOL_THRESHOLD} bytes the decoder spools them to a temporary file so an APPEND of a large
 * message does not hold it in the heap. The owner calls {@link #release()} when done (deletes the file).
 * Filled by {@link ImapRequestDecoder} on the event loop, read by commands on the blocking executor.
 */
public final class Literal {
    /** Literals larger than this go to a temporary file. */
    static final int SPOOL_THRESHOLD = 256 * 1024;

    private final long size;
    private final boolean binary;
    private ByteArrayOutputStream memory;
    private Path file;
    private OutputStream fileOut;
    private long written;

    Literal(long size, boolean binary) {
        this.size = size;
        this.binary = binary;
        if (size <= SPOOL_THRESHOLD) {
            memory = new ByteArrayOutputStream((int) size);
        }
    }

    /** A literal with known content (tests, synthetic requests). */
    public static Literal of(byte[] content) {
        Literal l = new Literal(content.length, false);
        l.append(content, 0, content.length);
        return l;
    }

    void append(byte[] data, int off, int len) {
        try {
            if (memory != null) {
                memory.write(data, off, len);
            } else {
                if (fileOut == null) {
                    file = Files.createTempFile("imap-literal", ".tmp");
                    fileOut = Files.newOutputStream(file);
                }
                fileOut.write(data, off, len);
            }
            written += len;
            if (written == size && fileOut != null) {
                fileOut.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long remaining() {
        return size - written;
    }

    public long size() {
        return size;
    }

    /** True for a literal8 ({@code ~{n}}, RFC 3516), which may contain NUL. */
    public boolean binary() {
        return binary;
    }

    public InputStream openStream() throws IOException {
        return memory != null ? new ByteArrayInputStream(memory.toByteArray()) : Files.newInputStream(file);
    }

    /** The content as a string (UTF-8); only for small literals used as command arguments. */
    public String asString() {
        if (memory == null) {
            throw new IllegalStateException("literal too large to use as a string");
        }
        return memory.toString(StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        if (memory == null) {
            throw new IllegalStateException("literal too large to hold in memory");
        }
        return memory.toByteArray();
    }

    /** Frees the spool file, if any. Idempotent. */
    public void release() {
        try {
            if (fileOut != null) {
                fileOut.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover temp file is harmless; nothing the client can be told
        }
        memory = null;
        file = null;
    }
}
