package org.mailserver.core.server;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.DURATION;
import static org.mailserver.core.config.ParameterDefinition.ParameterType.INTEGER;
import static org.mailserver.core.config.ParameterDefinition.ParameterType.STRING;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** Parameters of the listener framework and the daemon: per-listener limits, threads, shutdown. */
public final class ServerParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("listener_connection_limit", INTEGER, "100",
                "postfix: the maxproc column of master.cf; dovecot: service { client_limit }",
                "Most simultaneous connections one listener (one master.cf line) accepts; further connections "
                    + "get a temporary refusal (421 / * BYE) and are closed. Set per listener with -o. "
                    + "Connections are cheap here (no process each), the limit bounds memory."),
            of("smtpd_client_connection_count_limit", INTEGER, "50", "postfix: smtpd_client_connection_count_limit",
                "Most simultaneous connections from one client IP address to one SMTP or LMTP listener; "
                    + "0 means no limit. Further connections get \"421 4.7.0 ... too many connections\"."),
            of("imap_client_connection_count_limit", INTEGER, "20",
                "dovecot: mail_max_userip_connections (which counts per user and IP; this counts per IP)",
                "Most simultaneous connections from one client IP address to one IMAP listener; 0 means "
                    + "no limit. A phone, a laptop and a desktop with IDLE on several folders use about ten."),
            of("listener_unix_mode", STRING, "", "dovecot: unix_listener { mode }",
                "Permissions of a unix-domain socket listener (unix:/path in master.cf), in octal, e.g. 0660. "
                    + "Connecting needs write permission, so a Postfix that hands mail to our LMTP over "
                    + "lmtp:unix:/path needs the socket writable by its postfix user (and the directories on the "
                    + "way searchable; data_directory is not). Empty: as created (the process umask). "
                    + "Applied when the socket is bound; set it per listener with -o."),
            of("listener_unix_user", STRING, "", "dovecot: unix_listener { user }",
                "Owner of a unix-domain socket listener, e.g. postfix; empty leaves it to the daemon's user. "
                    + "Changing the owner needs root (or CAP_CHOWN). Set it per listener with -o."),
            of("listener_unix_group", STRING, "", "dovecot: unix_listener { group }",
                "Group of a unix-domain socket listener, e.g. postfix; empty leaves the default group. "
                    + "Set it per listener with -o."),
            of("listener_idle_timeout", DURATION, "30m", "dovecot: the fixed 30 minute IMAP autologout",
                "A connection on which nothing is read or written for this long is closed by the listener "
                    + "framework, with \"421 4.4.2 ... Error: timeout exceeded\" (SMTP, LMTP) or \"* BYE\" (IMAP). "
                    + "A backstop under the protocols' own timeouts (smtpd_timeout): RFC 9051 section 5.4 "
                    + "requires at least 30 minutes for IMAP, so lower it only per listener with -o."),
            of("daemon_event_loop_threads", INTEGER, "0", "",
                "Threads of the one shared network event loop group (all listeners); 0 means four per CPU core. "
                    + "They do not wait on disk, DNS or password hashing, which run on the blocking pools (the one bounded "
                    + "exception is imap_inline_fetch_max_size), but they encrypt and decrypt TLS: with one per core, "
                    + "50 IMAP clients on 2 cores had each command wait behind other sessions' encryption (median SELECT "
                    + "41-49 ms, LOGIN 54-58 ms); with four per core, 15-21 ms and 29-50 ms. More threads than that "
                    + "measured no better."),
            of("daemon_blocking_threads", INTEGER, "8", "",
                "Threads of the bounded pool for blocking work (disk, DNS, password hashing). Work beyond "
                    + "daemon_blocking_queue_size waiting tasks is refused, which protocols turn into "
                    + "temporary errors."),
            of("daemon_blocking_queue_size", INTEGER, "1000", "",
                "Most tasks waiting for a thread of the blocking pool."),
            of("daemon_shutdown_timeout", DURATION, "20s", "",
                "How long stop waits for connections to finish their current transaction or command "
                    + "after listeners stopped accepting; connections still open then are closed.")
        );
    }
}
