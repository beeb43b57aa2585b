package org.mailserver.core.auth.db;

import java.util.Optional;
import org.mailserver.core.auth.UserInfo;

/**
 * A user database (Dovecot's userdb): uid, gid, home, mail location and other userdb fields of a user.
 * One class per backend ({@code passwd-file}, {@code static}); may block briefly.
 */
public interface UserDb {

    String driver();

    /** The record of an already-normalized user name; empty for an unknown user. */
    Optional<UserInfo> lookup(String user) throws AuthBackendException;
}
