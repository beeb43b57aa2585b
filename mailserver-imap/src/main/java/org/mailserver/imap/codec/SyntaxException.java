package org.mailserver.imap.codec;

/** The client's command does not follow the grammar: answered with a tagged {@code BAD}. */
public class SyntaxException extends Exception {
    public SyntaxException(String message) {
        super(message);
    }
}
