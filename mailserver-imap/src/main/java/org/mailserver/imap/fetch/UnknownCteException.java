package org.mailserver.imap.fetch;

/** BINARY cannot decode a part's Content-Transfer-Encoding; answered with {@code NO [UNKNOWN-CTE]} (RFC 3516 4.3). */
public class UnknownCteException extends Exception {
    public UnknownCteException(String message) {
        super(message);
    }
}
