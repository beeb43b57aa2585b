package org.mailserver.lmtp;

import static org.mailserver.core.config.ParameterDefinition.ParameterType.*;
import static org.mailserver.core.config.ParameterDefinition.of;

import java.util.List;
import org.mailserver.core.config.ParameterDefinition;
import org.mailserver.core.config.ParameterProvider;

/** The LMTP server's own parameters (Dovecot lmtp names); the SMTP codec's limits apply too. */
public final class LmtpParameters implements ParameterProvider {
    @Override
    public List<ParameterDefinition> parameters() {
        return List.of(
            of("lmtp_rcpt_check_quota", BOOLEAN, "yes", "dovecot: lmtp_rcpt_check_quota",
                "Refuse a recipient at RCPT (552 5.2.2) when its mailbox is already over quota, instead of after DATA. "
                    + "Dovecot's default is no."),
            of("lmtp_save_to_detail_mailbox", BOOLEAN, "no", "dovecot: lmtp_save_to_detail_mailbox",
                "Deliver user+detail@domain into the mailbox named detail (INBOX when it does not exist)."),
            of("lmtp_max_message_in_memory", SIZE, "4194304", "",
                "Messages up to this size are held in memory between DATA and the deliveries; larger ones in a "
                    + "temporary file that is deleted afterwards.")
        );
    }
}
