package org.mailserver.core.lookup;

/**
 * A lookup table could not answer (its file vanished or a reload found it malformed): a temporary
 * failure, distinct from "not found". Callers turn it into a 4xx / try-again reply, never a 5xx
 * bounce and never a silent miss, as Postfix defers mail on a map lookup error.
 */
public class LookupException extends Exception {
    public LookupException(String message) {
        super(message);
    }

    public LookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
