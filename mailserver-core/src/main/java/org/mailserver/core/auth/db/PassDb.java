package org.mailserver.core.auth.db;

import java.util.Optional;

/**
 * A password database (Dovecot's passdb): finds a user's stored password and passdb extra fields. One class
 * per backend ({@code passwd-file} now; SQL and LDAP can be added by implementing this alone). Lookups may
 * block briefly (file stat, later a network query): the auth service calls them on its worker pool.
 */
public interface PassDb {

    /** The driver name used in log lines ({@code passwd-file}). */
    String driver();

    /** The entry of an already-normalized user name; empty for an unknown user. */
    Optional<PassDbEntry> lookup(String user) throws AuthBackendException;
}
