package org.mailserver.core.auth;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** The auth layer's parameters (Dovecot names where Dovecot has the concept); read by {@link AuthConfig}. */
public final class AuthParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("passdb", STRING, "passwd-file:/etc/mailserver/users", "dovecot: passdb { driver args }",
                "Where passwords are looked up, as DRIVER:ARGS. Supported: passwd-file:PATH (Dovecot's passwd-file "
                    + "format; PATH may contain %d, %n, %u for per-domain files; relative paths resolve against the "
                    + "configuration directory). The file is re-read when it changes."),
            of("userdb", STRING, "$passdb", "dovecot: userdb { driver args }",
                "Where uid, gid, home, mail location and quota come from: passwd-file:PATH or "
                    + "static:uid=vmail gid=vmail home=/var/vmail/%d/%n (a static userdb knows only users the passdb "
                    + "knows, unless allow_all_users=yes)."),
            of("auth_mechanisms", LIST, "plain login scram-sha-256 scram-sha-1", "dovecot: auth_mechanisms",
                "SASL mechanisms offered: plain, login, scram-sha-256, scram-sha-1, cram-md5. SCRAM and CRAM-MD5 work "
                    + "only for users whose stored password is {PLAIN} or of that scheme."),
            of("disable_plaintext_auth", BOOLEAN, "yes", "dovecot: disable_plaintext_auth",
                "When yes, plaintext mechanisms (PLAIN, LOGIN, IMAP LOGIN) are neither offered nor accepted on a "
                    + "connection without TLS (see auth_allow_plaintext_loopback)."),
            of("auth_allow_plaintext_loopback", BOOLEAN, "yes", "dovecot: (connections from localhost count as secured)",
                "When yes, connections from a loopback address may use plaintext mechanisms without TLS."),
            of("auth_username_format", STRING, "%Lu", "dovecot: auth_username_format",
                "How a login name is rewritten before lookup: %u user, %n local part, %d domain, with L (lower) or "
                    + "U (upper) modifiers, e.g. %Lu, %Ln. The domain part is always compared case-insensitively."),
            of("auth_failure_delay", DURATION, "2s", "dovecot: auth_failure_delay",
                "How long a failed login waits before it is answered; doubled for each recent failure of the same IP "
                    + "or user, up to auth_failure_delay_max. No thread is held while waiting."),
            of("auth_failure_delay_max", DURATION, "15s", "",
                "Upper bound of the growing failure delay, and the delay of a refused (locked-out) attempt."),
            of("auth_lockout_ip_failures", INTEGER, "10", "",
                "Failures from one IP (IPv6: one /64) within auth_lockout_window after which that IP is refused for "
                    + "auth_lockout_duration. 0 disables the IP lock-out."),
            of("auth_lockout_user_failures", INTEGER, "20", "",
                "Failures for one user within auth_lockout_window after which the user is refused for "
                    + "auth_lockout_duration, except from IPs the user recently logged in from. 0 disables it."),
            of("auth_lockout_window", DURATION, "10m", "",
                "The window in which failures are counted: it opens at a first failure, and the count starts afresh once it is over."),
            of("auth_lockout_duration", DURATION, "15m", "",
                "How long a locked-out IP or user is refused without checking any password."),
            of("auth_guard_max_entries", INTEGER, "100000", "",
                "Most IPs and users the guessing protection remembers (each table, least recently used forgotten "
                    + "first): bounded memory under a flood of distinct addresses."),
            of("default_pass_scheme", STRING, "CRYPT", "dovecot: default_pass_scheme",
                "The scheme of a stored password without a {SCHEME} prefix. Self-describing crypt strings "
                    + "($1$, $5$, $6$, $2y$, $argon2id$) are recognised whatever this says."),
            of("auth_generate_scheme", STRING, "ARGON2ID", "doveadm pw -s",
                "The scheme used when this server writes a password: mailserver pw, user add, user passwd and the "
                    + "demo user. Any scheme of 'mailserver pw -l'; BLF-CRYPT or SHA512-CRYPT are good choices too."),
            of("auth_bcrypt_cost", INTEGER, "10", "doveadm pw -r", "Cost (log2 rounds) of generated BLF-CRYPT hashes."),
            of("auth_argon2_memory", INTEGER, "65536", "", "Memory in KiB of generated ARGON2I/ARGON2ID hashes (libsodium's default)."),
            of("auth_argon2_iterations", INTEGER, "3", "", "Passes of generated ARGON2I/ARGON2ID hashes."),
            of("auth_crypt_rounds", INTEGER, "5000", "doveadm pw -r", "Rounds of generated SHA256-CRYPT and SHA512-CRYPT hashes."),
            of("auth_pbkdf2_rounds", INTEGER, "5000", "doveadm pw -r", "Rounds of generated PBKDF2 hashes."),
            of("auth_scram_iterations", INTEGER, "4096", "dovecot: auth_scram_iterations",
                "Iterations of generated SCRAM hashes, and of SCRAM exchanges for {PLAIN} passwords."),
            of("auth_worker_threads", INTEGER, "0", "dovecot: service auth-worker { process_limit }",
                "Threads that verify passwords (hashing is slow on purpose); 0 means four per CPU core. With one per core, "
                    + "50 IMAP logins at once on 2 cores queued for them (median LOGIN 33-45 ms; 23-24 ms with four per core). "
                    + "Memory-hard hashes (Argon2) together use at most a quarter of the heap whatever the count: a check "
                    + "waits until its memory fits."),
            of("auth_worker_queue", INTEGER, "1000", "",
                "Logins waiting for a worker beyond which new ones fail temporarily: a flood cannot pile up unbounded."),
            of("auth_master_passdb", STRING, "", "dovecot: passdb { master = yes }",
                "Master users' passdb, e.g. passwd-file:/etc/mailserver/master-users. A master logs in as any user "
                    + "with its own password (SASL PLAIN authorization identity, or USER*MASTER with "
                    + "auth_master_user_separator). Empty: no master users; a different authzid is refused."),
            of("auth_master_user_separator", STRING, "", "dovecot: auth_master_user_separator",
                "Separator for the TARGET*MASTER login name form of master users (LOGIN, IMAP LOGIN); empty disables it."),
            of("demo_user", STRING, "", "",
                "For development: if set (e.g. demo@example.test) and the passwd-file passdb lacks this user, it is "
                    + "added at start with a random password, printed once to the log and standard output.")
        );
    }
}
