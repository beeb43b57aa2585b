package org.mailserver.core.auth;

import org.mailserver.core.auth.db.PassDb;

/**
 * Dovecot's master users: an administrator (or a webmail/backup tool) logs in as another user with the
 * master's own password, either with SASL PLAIN's authorization identity ({@code target NUL master NUL
 * password}) or, for LOGIN and IMAP LOGIN, with the name {@code target SEPARATOR master}
 * ({@code auth_master_user_separator}, e.g. {@code alice@example.com*admin}). Masters live in their own passdb
 * ({@code auth_master_passdb}); the target must exist in the userdb. A master with {@code nopassword} is refused.
 *
 * @param separator {@code auth_master_user_separator}; empty disables the name form
 * @param passDb    the master passdb
 */
public record MasterUsers(String separator, PassDb passDb) {
}
