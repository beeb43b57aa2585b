package org.mailserver.imap;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** The IMAP server's parameters (the APPENDLIMIT comes from the core's message_size_limit). */
public final class ImapParameters implements ParameterProvider {
    public static final String MAX_LINE_LENGTH = "imap_max_line_length";
    public static final String MAX_USERIP_CONNECTIONS = "mail_max_userip_connections";
    public static final String LOGIN_TIMEOUT = "imap_login_timeout";
    public static final String AUTOLOGOUT = "imap_autologout_timeout";
    public static final String IDLE_NOTIFY_INTERVAL = "imap_idle_notify_interval";
    public static final String WORKER_THREADS = "imap_worker_threads";
    public static final String SEARCH_PREBUILD_MESSAGES = "imap_search_prebuild_messages";
    public static final String WORKER_SLOTS = "imap_worker_slots";
    public static final String INLINE_FETCH_MAX_SIZE = "imap_inline_fetch_max_size";
    public static final String PRELOAD_MESSAGES = "imap_preload_messages";

    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of(MAX_LINE_LENGTH, SIZE, "65536", "dovecot: imap_max_line_length",
                "Longest IMAP command line, and the largest command (text plus literals) other than APPEND, in bytes. "
                    + "Longer lines are answered BAD and skipped."),
            of(MAX_USERIP_CONNECTIONS, INTEGER, "10", "dovecot: mail_max_userip_connections",
                "Most simultaneous IMAP sessions one user may have from one IP address; further logins are refused "
                    + "with NO [LIMIT]. 0 means no limit."),
            of(LOGIN_TIMEOUT, DURATION, "60s", "",
                "How long a client may stay connected without logging in, counted from the connection to each complete "
                    + "command (bytes that do not complete a command do not extend it). Capped at 60 seconds. Whatever "
                    + "the client does, it must log in within three times this."),
            of(AUTOLOGOUT, DURATION, "30m", "dovecot: built-in 30 min autologout",
                "How long a logged-in client may stay silent (no complete command, IDLE included) before the server "
                    + "says BYE. RFC 3501 5.4 requires at least 30 minutes; smaller values are raised to 30 minutes."),
            of(IDLE_NOTIFY_INTERVAL, DURATION, "2m", "dovecot: imap_idle_notify_interval",
                "While a client is in IDLE, send \"* OK Still here\" this often so that NAT and firewall state along the "
                    + "path does not expire."),
            of(WORKER_THREADS, INTEGER, "64", "dovecot: service imap { process_limit }",
                "Most threads running IMAP sessions' storage work (disk, index, MIME parsing), shared by all IMAP "
                    + "listeners. Threads are made as needed and end after a minute without work. A long command "
                    + "(FETCH 1:*, SEARCH) pauses between messages on its thread while shorter work of other sessions "
                    + "runs, so this bounds how many sessions can have a command in progress at once; more wait in "
                    + "line (4096 at most, then commands fail with a temporary NO, \"Server busy\")."),
            of(WORKER_SLOTS, INTEGER, "0", "",
                "How many IMAP storage tasks run at the same time; 0 means twice the number of CPUs, at least 4. "
                    + "A free slot goes to the session whose work has used the least time so far (fair queueing, as "
                    + "the OS does for Dovecot's process per client), and a task that ran 5 ms gives its slot up at "
                    + "the next message when others wait (one that ran 20 ms as soon as a new command waits): LOGIN and SELECT do not queue behind other sessions' "
                    + "FETCH 1:* or SEARCH. A FETCH waiting for its client to read lends its slot to new commands meanwhile."),
            of(INLINE_FETCH_MAX_SIZE, SIZE, "65536", "",
                "A FETCH of at most 16 messages that together are no larger than this, and that sets no flag (BODY.PEEK, "
                    + "or a read-only mailbox), runs on the connection's network thread rather than being handed to the "
                    + "storage work pool and back: one small file read, which is how a client opens one message. Under "
                    + "load each hand-over is a thread wake-up that waits for a CPU; with 10 clients on 2 cores this halved "
                    + "the median time of such a FETCH. It never waits for a mailbox lock that another session "
                    + "holds (such a FETCH goes to the pool), but the file read blocks the sessions sharing that thread for as "
                    + "long as it takes, so on storage with slow reads (a network disk) set it lower, or to 0 to turn it off."),
            of(PRELOAD_MESSAGES, INTEGER, "20000", "",
                "Right after the daemon starts, the indexes of the mailboxes IMAP clients opened most recently before it "
                    + "stopped (listed in data_directory/imap-recent-folders, written at each clean stop) are loaded in "
                    + "the background, newest first, until this many messages are in memory: the first SELECT of such a "
                    + "folder after a restart then does not read and decode its index (Dovecot maps its index file "
                    + "instead). About 1.2 KB of memory a message. 0 turns it off, and the list is then not kept."),
            of(SEARCH_PREBUILD_MESSAGES, INTEGER, "1000", "",
                "SELECT or EXAMINE of a mailbox with at least this many messages starts, in the background, the "
                    + "in-memory index of decoded, case-folded Subject values that SEARCH SUBJECT answers from, so that "
                    + "the first such search of a large mailbox does not build it (the index is shared by every "
                    + "session and otherwise built by the first header search). The build reads only the header "
                    + "summaries already cached (never a message file), runs on the IMAP work pool only while no "
                    + "session's command runs or waits there (it pauses and resumes), stops when the session leaves "
                    + "the mailbox or after 10 seconds without a quiet moment, runs once per mailbox, and is skipped "
                    + "when the indexes of all mailboxes already take half of their 64 MiB budget. 0 turns it off.")
        );
    }
}
