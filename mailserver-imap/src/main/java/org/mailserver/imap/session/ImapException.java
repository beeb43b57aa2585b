package org.mailserver.imap.session;

/**
 * A command failed in a way the client caused or must be told about: {@code NO [CODE] text} or
 * {@code BAD text}. Thrown by commands; turned into the tagged reply by {@link ErrorMapper} only.
 */
public class ImapException extends Exception {
    private final boolean bad;
    private final String code;

    private ImapException(boolean bad, String code, String text) {
        super(text);
        this.bad = bad;
        this.code = code;
    }

    /** {@code NO [code] text}; code may be null. */
    public static ImapException no(String code, String text) {
        return new ImapException(false, code, text);
    }

    /** {@code BAD text}: a protocol error (wrong state, bad arguments). */
    public static ImapException bad(String text) {
        return new ImapException(true, null, text);
    }

    public boolean isBad() {
        return bad;
    }

    public String code() {
        return code;
    }
}
