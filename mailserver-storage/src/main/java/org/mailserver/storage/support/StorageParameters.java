package org.mailserver.storage.support;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** The mail store's parameters, named as Dovecot names them where Dovecot has the concept. */
public final class StorageParameters implements ParameterProvider {
    public static final String MAIL_LOCATION = "mail_location";
    public static final String MAIL_FSYNC = "mail_fsync";
    public static final String AUTOCREATE = "mailbox_autocreate";
    public static final String DRAFTS = "mailbox_drafts_name";
    public static final String SENT = "mailbox_sent_name";
    public static final String TRASH = "mailbox_trash_name";
    public static final String JUNK = "mailbox_junk_name";
    public static final String ARCHIVE = "mailbox_archive_name";
    public static final String QUOTA_RULE = "quota_rule";
    public static final String QUOTA_STATUS_OVERQUOTA = "quota_status_overquota";
    public static final String QUOTA_WARNING = "quota_warning";

    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of(MAIL_LOCATION, STRING, "maildir:/var/vmail/%d/%n", "dovecot: mail_location",
                "Where users' mail lives, as Dovecot writes it: 'maildir:PATH' with %u (full user name), "
                    + "%n (local part), %d (domain) and ~ (the user's home from the userdb) expanded. A userdb "
                    + "'mail' field overrides it per user. 'memory:' keeps mail in memory only (tests, demos)."),
            of(MAIL_FSYNC, STRING, "optimized", "dovecot: mail_fsync",
                "When to force mail files and directories to disk: 'optimized' and 'always' fsync every new "
                    + "message and its directory before delivery or APPEND succeeds (the two are the same here); "
                    + "'never' skips fsync (faster, loses mail on power failure; only for tests)."),
            of(AUTOCREATE, BOOLEAN, "yes", "dovecot: mailbox { auto = subscribe }",
                "Whether a new user's store gets the Drafts, Sent, Trash, Junk and Archive mailboxes, with "
                    + "their RFC 6154 SPECIAL-USE attributes, created and subscribed on first use."),
            of(DRAFTS, STRING, "Drafts", "dovecot: mailbox Drafts { special_use = \\Drafts }",
                "Name of the \\Drafts mailbox created for new users."),
            of(SENT, STRING, "Sent", "dovecot: mailbox Sent { special_use = \\Sent }",
                "Name of the \\Sent mailbox created for new users."),
            of(TRASH, STRING, "Trash", "dovecot: mailbox Trash { special_use = \\Trash }",
                "Name of the \\Trash mailbox created for new users."),
            of(JUNK, STRING, "Junk", "dovecot: mailbox Junk { special_use = \\Junk }",
                "Name of the \\Junk mailbox created for new users."),
            of(ARCHIVE, STRING, "Archive", "dovecot: mailbox Archive { special_use = \\Archive }",
                "Name of the \\Archive mailbox created for new users."),
            of(QUOTA_RULE, STRING, "", "dovecot: quota_rule",
                "Default quota for users whose userdb record has no quota_rule field, in Dovecot syntax: "
                    + "'*:storage=1G', '*:messages=10000' or both ('*:storage=1G:messages=10000'). A bare storage "
                    + "number is in kilobytes. Empty means no limit. Usage is kept in the Maildir++ 'maildirsize' file."),
            of(QUOTA_STATUS_OVERQUOTA, STRING, "552 5.2.2 Mailbox is full", "dovecot: quota_status_overquota",
                "The SMTP/LMTP reply (code, enhanced code, text) for a delivery that would exceed the recipient's "
                    + "quota. Use a 4xx code ('452 4.2.2 Mailbox is full') to have senders retry instead of bounce."),
            of(QUOTA_WARNING, LIST, "95, 80", "dovecot: quota_warning",
                "Usage percentages (of the storage or message limit) at which a delivery that crosses them logs a "
                    + "warning for the user. Empty disables the warnings.")
        );
    }
}
