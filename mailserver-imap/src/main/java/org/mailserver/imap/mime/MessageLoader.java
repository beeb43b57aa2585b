package org.mailserver.imap.mime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import org.mailserver.storage.Mailbox;
import org.mailserver.storage.StorageError;
import org.mailserver.storage.StorageException;

/**
 * Gets a message's parsed form or its {@link MessageSummary}, opening the file only when it must. The
 * summary comes from {@link Mailbox#cached} when present and is stored with {@link Mailbox#putCache} the
 * first time a message is parsed. The last parsed message is kept per thread, because one FETCH asks for
 * several items of the same message in a row (the renderer contract allows this); the key is the mailbox
 * view itself (weakly held), its UIDVALIDITY and the UID, so two users' mailboxes never share an entry.
 * Called on the blocking executor by the content renderer and the search evaluator; thread-safe.
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

    /** The message's bytes, parsed. Stores the summary in the cache when it was missing. */
    public static Parsed parsed(Mailbox mailbox, long uid) throws StorageException {
        Entry e = LAST.get();
        if (e != null && e.matches(mailbox, uid)) {
            return e.parsed;
        }
        byte[] data;
        try (InputStream in = mailbox.open(uid)) {
            data = in.readAllBytes();
        } catch (IOException ex) {
            throw new StorageException(StorageError.TEMPORARY, "reading message " + uid + ": " + ex.getMessage(), ex);
        }
        Parsed p = new Parsed(data, MimeParser.parse(data));
        if (data.length <= MAX_KEPT) {
            LAST.set(new Entry(new WeakReference<>(mailbox), mailbox.uidValidity(), uid, p));
        } else {
            LAST.remove(); // do not pin a large message to an executor thread
        }
        if (mailbox.cached(uid, MessageSummary.CACHE_KEY).map(MessageSummary::decode).isEmpty()) {
            mailbox.putCache(uid, MessageSummary.CACHE_KEY, MessageSummary.of(p.root).encode());
        }
        return p;
    }

    /** The summary from the cache, or computed from the message (and then cached). */
    public static MessageSummary summary(Mailbox mailbox, long uid) throws StorageException {
        MessageSummary s = mailbox.cached(uid, MessageSummary.CACHE_KEY).map(MessageSummary::decode).orElse(null);
        if (s != null) {
            return s;
        }
        // parsing a message stores its summary; read it back rather than computing it twice
        Parsed p = parsed(mailbox, uid);
        s = mailbox.cached(uid, MessageSummary.CACHE_KEY).map(MessageSummary::decode).orElse(null);
        return s != null ? s : MessageSummary.of(p.root); // a store that drops cache writes still works
    }

    /** Forgets this thread's last parsed message (tests, or after a large one). */
    public static void clearThread() {
        LAST.remove();
    }
}
