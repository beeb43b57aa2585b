package org.mailserver.core.auth.db;

/**
 * A passdb or userdb could not answer (file unreadable, directory missing, later: SQL/LDAP down). The
 * auth service turns it into {@code TEMPORARY_FAILURE}: the client is told to try again, nothing is
 * counted as a guessing failure.
 */
public class AuthBackendException extends Exception {
    public AuthBackendException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuthBackendException(String message) {
        super(message);
    }
}
