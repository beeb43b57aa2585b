package org.mailserver.lmtp;

import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.core.server.ProtocolHandlerFactory;
import org.mailserver.core.server.Services;
import org.mailserver.smtp.SessionPipeline;
import org.mailserver.smtp.SmtpProtocolHandlerFactory;
import org.mailserver.smtp.session.SessionConfig;
import org.mailserver.smtp.session.SessionServices;
import org.mailserver.storage.LocalDelivery;
import org.mailserver.storage.MailStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code lmtp} protocol for the listener framework: a master.cf line such as
 * {@code lmtp unix - - - - - lmtp} or {@code 127.0.0.1:24 inet ... lmtp}. Usable by an external Postfix
 * as {@code virtual_transport = lmtp:unix:/path} or {@code lmtp:inet:127.0.0.1:24}. Needs the
 * {@link AuthService}, {@link MailStoreProvider} and {@link LocalDelivery} services. The SMTP restriction
 * and AUTH parameters do not apply: the peer is a trusted MTA.
 */
public final class LmtpProtocolHandlerFactory implements ProtocolHandlerFactory {
    private static final Logger log = LoggerFactory.getLogger(LmtpProtocolHandlerFactory.class);

    record Built(SessionConfig config, SessionServices services, LmtpProtocol dialect, String error) {
    }

    private final Map<Settings, Built> built = new WeakHashMap<>();

    @Override
    public String protocol() {
        return "lmtp";
    }

    @Override
    public void initChannel(Channel channel, ListenerContext context) {
        Built b;
        synchronized (built) {
            b = built.computeIfAbsent(context.settings(), s -> create(context, s));
        }
        if (b.error() != null) {
            SessionPipeline.refuse(channel, "Server configuration problem");
            return;
        }
        SessionPipeline.install(channel, b.config(), b.services(), b.dialect(), context.serviceName(), context.tls());
    }

    /** LMTP's fixed view of the SMTP parameters: no restrictions, no AUTH, its own greeting. */
    static Settings lmtpSettings(Settings s) {
        Map<String, String> o = new HashMap<>();
        o.put("smtpd_role", "mx");
        o.put("smtpd_banner", "$myhostname LMTP");
        o.put("smtpd_sasl_auth_enable", "no");
        o.put("smtpd_delay_reject", "yes");
        for (String list : new String[] {"smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions",
            "smtpd_recipient_restrictions", "smtpd_data_restrictions"}) {
            o.put(list, "");
        }
        o.put("smtpd_relay_restrictions", "reject_unauth_destination");
        o.put("smtpd_reject_unlisted_recipient", "no");
        o.put("smtpd_add_missing_headers", "no");
        if (!s.isExplicit("smtpd_peername_lookup")) {
            o.put("smtpd_peername_lookup", "no");
        }
        if (!s.isExplicit("smtpd_tls_security_level")) {
            o.put("smtpd_tls_security_level", "none"); // Postfix's LMTP client does not use TLS by default
        }
        return s.withOverrides(o);
    }

    private static Built create(ListenerContext context, Settings listenerSettings) {
        try {
            Settings settings = lmtpSettings(listenerSettings);
            SessionConfig config = SessionConfig.from(settings, "lmtp");
            Services services = context.services();
            AuthService auth = services.find(AuthService.class)
                .orElseThrow(() -> new IllegalStateException("LMTP needs the auth service (userdb)"));
            MailStoreProvider stores = services.find(MailStoreProvider.class)
                .orElseThrow(() -> new IllegalStateException("LMTP needs the mail store"));
            LocalDelivery delivery = services.find(LocalDelivery.class)
                .orElseThrow(() -> new IllegalStateException("LMTP needs the local delivery service"));
            LmtpProtocol dialect = new LmtpProtocol(auth, stores, delivery, settings.getBoolean("lmtp_rcpt_check_quota"),
                settings.getBoolean("lmtp_save_to_detail_mailbox"), settings.getSize("lmtp_max_message_in_memory"));
            return new Built(config, SmtpProtocolHandlerFactory.services(settings, services, context), dialect, null);
        } catch (RuntimeException e) {
            log.error("{}: cannot serve LMTP: {}", context.serviceName(), e.getMessage());
            return new Built(null, null, null, e.getMessage());
        }
    }
}
