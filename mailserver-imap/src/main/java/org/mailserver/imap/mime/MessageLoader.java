package org.mailserver.imap.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * Gets what IMAP needs of a message, reading as little as it can: the {@link HeaderSummary} and the
 * {@link StructureSummary} from the store's cache ({@link Mailbox#cached}) when present; else the header
 * summary from the message's header only (the file is read up to the blank line), the structure and
 * sections from a full parse. Whatever is computed is stored with {@link Mailbox#putCache}. The last fully
 * parsed message is kept per thread (up to {@link #MAX_KEPT} bytes), because one FETCH asks for several
 * items of the same message in a row (the renderer contract allows this); its key is the mailbox view itself
 * (weakly held), its UIDVALIDITY and the UID, so two users' mailboxes never share an entry. Called on the
 * blocking executor by the content renderer and the search evaluator; thread-safe.
 */
public final class MessageLoader {

    /** A parsed message: its bytes and its MIME tree. */
    public record Parsed(byte[] data, MimePart root) {
    }

    private record Entry(WeakReference<Mailbox> mailbox, long uidValidity, long uid, Parsed parsed) {
        boolean matches(Mailbox m, long uid) {
            return mailbox.get() == m && uidValidity == m.uidValidity() && this.uid == uid;
        }
    }

    private static final ThreadLocal<Entry> LAST = new ThreadLocal<>();

    /** Messages larger than this are not kept per thread after use (they are re-read for each item). */
    static final int MAX_KEPT = 4 * 1024 * 1024;

    private MessageLoader() {
    }

    /** The message's bytes, parsed. Stores both summaries in the cache when they were missing. */
    public static Parsed parsed(Mailbox mailbox, long uid) throws StorageException {
        Parsed kept = kept(mailbox, uid);
        if (kept != null) {
            return kept;
        }
        byte[] data = mailbox.content(uid);
        Parsed p = new Parsed(data, MimeParser.parse(data));
        if (data.length <= MAX_KEPT) {
            LAST.set(new Entry(new WeakReference<>(mailbox), mailbox.uidValidity(), uid, p));
        } else {
            LAST.remove(); // do not pin a large message to an executor thread
        }
        if (cachedHeader(mailbox, uid) == null) {
            mailbox.putCache(uid, HeaderSummary.CACHE_KEY, HeaderSummary.of(p.root.header()).encode());
        }
        if (cachedStructure(mailbox, uid) == null) {
            mailbox.putCache(uid, StructureSummary.CACHE_KEY, StructureSummary.of(p.root).encode());
        }
        return p;
    }

    /**
     * The whole message (BODY[], RFC822), unparsed: this thread's parsed copy when it is that message, else
     * read from the store as is. Nothing is parsed or cached: a client reading mail one message at a time
     * pays one read, not a MIME parse and two cache writes. The caller must not modify the array.
     */
    public static byte[] whole(Mailbox mailbox, long uid) throws StorageException {
        Parsed kept = kept(mailbox, uid);
        return kept != null ? kept.data : mailbox.content(uid);
    }

    /** The header summary: from the cache, else from the header alone (then cached). */
    public static HeaderSummary header(Mailbox mailbox, long uid) throws StorageException {
        HeaderSummary s = cachedHeader(mailbox, uid);
        if (s != null) {
            return s;
        }
        Parsed kept = kept(mailbox, uid);
        Header header;
        if (kept != null) {
            header = kept.root.header();
        } else {
            byte[] head = readHeader(mailbox, uid);
            header = Header.parse(head, 0, head.length);
        }
        s = HeaderSummary.of(header);
        mailbox.putCache(uid, HeaderSummary.CACHE_KEY, s.encode());
        return s;
    }

    /** The ENVELOPE value: from the cache without decoding the rest of the summary, else as {@link #header}. */
    public static byte[] envelope(Mailbox mailbox, long uid) throws StorageException {
        // in place where the store can (a slice of its bulk-loaded cache): only the ENVELOPE part is copied
        byte[] env = mailbox.<byte[]>cachedSlice(uid, HeaderSummary.CACHE_KEY, HeaderSummary::decodeEnvelope).orElse(null);
        return env != null ? env : header(mailbox, uid).envelope();
    }

    /** BODY and BODYSTRUCTURE: from the cache, else from a full parse (then cached). */
    public static StructureSummary structure(Mailbox mailbox, long uid) throws StorageException {
        StructureSummary s = cachedStructure(mailbox, uid);
        if (s != null) {
            return s;
        }
        Parsed p = parsed(mailbox, uid);
        s = cachedStructure(mailbox, uid);
        return s != null ? s : StructureSummary.of(p.root); // a store that drops cache writes still works
    }

    /** Forgets this thread's last parsed message (tests, or after a large one). */
    public static void clearThread() {
        LAST.remove();
    }

    private static Parsed kept(Mailbox mailbox, long uid) {
        Entry e = LAST.get();
        return e != null && e.matches(mailbox, uid) ? e.parsed : null;
    }

    private static HeaderSummary cachedHeader(Mailbox mailbox, long uid) {
        return mailbox.cachedAs(uid, HeaderSummary.CACHE_KEY, HeaderSummary::decode).orElse(null);
    }

    private static StructureSummary cachedStructure(Mailbox mailbox, long uid) {
        return mailbox.cachedAs(uid, StructureSummary.CACHE_KEY, StructureSummary::decode).orElse(null);
    }

    /**
     * The message's bytes up to and including the blank line that ends its header (all of it when there is
     * none): exactly the bytes {@link Header#parse} looks at for the top-level header.
     */
    static byte[] readHeader(Mailbox mailbox, long uid) throws StorageException {
        try (InputStream in = mailbox.open(uid)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
            byte[] buf = new byte[4096];
            int lineLen = 0; // bytes of the current line so far
            byte lineFirst = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        if (lineLen == 0 || (lineLen == 1 && lineFirst == '\r')) {
                            out.write(buf, 0, i + 1);
                            return out.toByteArray();
                        }
                        lineLen = 0;
                    } else {
                        if (lineLen == 0) {
                            lineFirst = b;
                        }
                        lineLen++;
                    }
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException ex) {
            throw new StorageException(StorageError.TEMPORARY, "reading message " + uid + ": " + ex.getMessage(), ex);
        }
    }
}
