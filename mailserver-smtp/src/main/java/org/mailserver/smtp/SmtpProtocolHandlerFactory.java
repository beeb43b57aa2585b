package org.mailserver.smtp;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.WeakHashMap;
import org.mailserver.core.address.AddressRewriter;
import org.mailserver.core.auth.AuthService;
import org.mailserver.core.config.Settings;
import org.mailserver.core.queue.MessageQueue;
import org.mailserver.core.server.ListenerContext;
import org.mailserver.core.server.ProtocolHandlerFactory;
import org.mailserver.core.server.Services;
import org.mailserver.smtp.policy.DnsChecker;
import org.mailserver.smtp.policy.DnsjavaChecker;
import org.mailserver.smtp.policy.NetworkList;
import org.mailserver.smtp.policy.OpenRelayCheck;
import org.mailserver.smtp.policy.RestrictionEngine;
import org.mailserver.smtp.session.SessionConfig;
import org.mailserver.smtp.session.SessionServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code smtp} protocol for the listener framework (master.cf services smtp, submission, submissions).
 * Per listener settings it builds, once, the session configuration (with the role's defaults), the
 * tables and the restriction engine; a configuration that is unusable or an open relay makes the
 * listener answer 421 4.3.5 and log why. Looks up {@link MessageQueue} (required), {@link AuthService}
 * and {@link DnsChecker} (optional) in the daemon's services.
 */
public final class SmtpProtocolHandlerFactory implements ProtocolHandlerFactory {
    private static final Logger log = LoggerFactory.getLogger(SmtpProtocolHandlerFactory.class);

    /** What one listener's settings produce; rebuilt when a reload hands out new settings. */
    record Built(SessionConfig config, SessionServices services, SmtpProtocol dialect, String error) {
    }

    private final Map<Settings, Built> built = new WeakHashMap<>();

    @Override
    public String protocol() {
        return "smtp";
    }

    @Override
    public void initChannel(Channel channel, ListenerContext context) {
        Built b = build(context);
        if (b.error() != null) {
            SessionPipeline.refuse(channel, "Server configuration problem");
            return;
        }
        SessionPipeline.install(channel, b.config(), b.services(), b.dialect(), context.serviceName(), context.tls());
    }

    private Built build(ListenerContext context) {
        Settings settings = context.settings();
        synchronized (built) {
            return built.computeIfAbsent(settings, s -> create(context, s));
        }
    }

    private static Built create(ListenerContext context, Settings settings) {
        try {
            SessionConfig config = SessionConfig.from(settings, context.serviceName());
            OpenRelayCheck.verify(config.settings(), context.serviceName());
            Services services = context.services();
            MessageQueue queue = services.find(MessageQueue.class)
                .orElseThrow(() -> new IllegalStateException("no MessageQueue service registered"));
            return new Built(config, services(config.settings(), services, context), new SmtpProtocol(queue), null);
        } catch (RuntimeException e) {
            log.error("{}: cannot serve: {}", context.serviceName(), e.getMessage());
            return new Built(null, null, null, e.getMessage());
        }
    }

    /** The collaborators a session needs, from the settings and the daemon's services. Also used by LMTP. */
    public static SessionServices services(Settings settings, Services services, ListenerContext context) {
        AuthService auth = services.find(AuthService.class).orElse(null);
        DnsChecker dns = services.find(DnsChecker.class).orElseGet(() -> new DnsjavaChecker(settings.getList("smtpd_dns_servers")));
        AddressRewriter rewriter = AddressRewriter.fromSettings(settings);
        RestrictionEngine engine = new RestrictionEngine(settings, rewriter.domains(), new NetworkList(settings.getList("mynetworks")), dns, auth);
        return new org.mailserver.smtp.session.SessionServices(auth, context.tls(), rewriter, engine, context.blockingExecutor());
    }
}
