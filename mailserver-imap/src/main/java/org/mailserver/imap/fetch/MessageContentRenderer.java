package org.mailserver.imap.fetch;

import org.mailserver.storage.Mailbox;
import org.mailserver.storage.MessageMeta;
import org.mailserver.storage.StorageException;

/**
 * Renders the content data items of FETCH (ENVELOPE, BODY, BODYSTRUCTURE, BODY[section]&lt;partial&gt;,
 * BINARY[...], BINARY.SIZE, RFC822, RFC822.HEADER, RFC822.TEXT), i.e. every {@link FetchAttribute.Kind}
 * whose {@code needsContent()} is true. Implemented by the MIME layer ({@code org.mailserver.imap.mime}),
 * found through {@code META-INF/services/org.mailserver.imap.fetch.MessageContentRenderer}; when none is on
 * the class path the FETCH shell uses {@link BasicContentRenderer}.
 *
 * <p>Called by the FETCH shell on the blocking executor (it may read the message through
 * {@link Mailbox#open(long)} and use {@link Mailbox#cached}/{@link Mailbox#putCache}). One renderer instance
 * serves all sessions: it must be thread-safe. A single FETCH calls {@link #render} once per item per
 * message, in the order the client asked; implementations may keep a parsed message per thread.
 */
public interface MessageContentRenderer {

    /**
     * Returns the complete IMAP value of the item as it follows {@code NAME SP} in the response, already
     * encoded: an nstring (quoted, {@code NIL} or a literal {@code {n}\r\n...}), a literal8 {@code ~{n}\r\n...}
     * for BINARY, a number for BINARY.SIZE, or a parenthesised list for ENVELOPE/BODY/BODYSTRUCTURE.
     * Use {@link ImapStrings} for the string encodings.
     *
     * @throws StorageException     the message could not be read (expunged meanwhile: {@code NOT_FOUND}/{@code EXPUNGED})
     * @throws UnknownCteException  BINARY on a part whose Content-Transfer-Encoding cannot be decoded (RFC 3516 4.3)
     */
    byte[] render(Mailbox mailbox, MessageMeta meta, FetchAttribute attribute, RenderOptions options)
        throws StorageException, UnknownCteException;

    /**
     * Per-session options that change the encoding.
     *
     * @param utf8Accept the client enabled UTF8=ACCEPT (RFC 6855): 8-bit header strings may be sent quoted
     * @param imap4rev2  the client enabled IMAP4rev2 (RFC 9051)
     */
    record RenderOptions(boolean utf8Accept, boolean imap4rev2) {
        public static final RenderOptions DEFAULT = new RenderOptions(false, false);
    }
}
