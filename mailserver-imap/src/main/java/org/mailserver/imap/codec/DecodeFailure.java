package org.mailserver.imap.codec;

/**
 * The decoder could not frame a command; the session answers it in order with the other commands.
 *
 * @param tag    the command's tag when it could be read, else {@code *}
 * @param reason what went wrong
 * @param fatal  the connection cannot be resynchronised (a refused non-synchronising literal whose bytes
 *               are already on the way, RFC 7888 4): the session says BYE and closes
 */
public record DecodeFailure(String tag, Reason reason, boolean fatal) {

    public enum Reason {
        /** A line longer than the configured maximum (imap_max_line_length). */
        LINE_TOO_LONG,
        /** A literal larger than allowed here (APPENDLIMIT after login, the line limit before). */
        LITERAL_TOO_BIG,
        /** A command whose text and small literals together exceed the command limit. */
        COMMAND_TOO_LONG,
        /** A literal marker with a malformed or out-of-range number. */
        BAD_LITERAL
    }
}
