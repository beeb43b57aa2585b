package org.mailserver.imap.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP log lines, in Dovecot's format so that existing log watchers (fail2ban filters, logwatch) keep
 * working: {@code imap-login: Login: user=<u>, method=PLAIN, rip=..., lip=..., TLS...} and
 * {@code imap(u): Disconnected: Logged out in=.. out=..} (documented in docs/imap.md).
 */
final class SessionLog {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    private SessionLog() {
    }

    static void login(ImapTransport t, String user, String method) {
        LOG.info("imap-login: Login: user=<{}>, method={}, rip={}, lip={}{}", user, method, ip(t.remoteAddress()),
            ip(t.localAddress()), t.secured() ? ", " + t.tlsDescription() : "");
    }

    static void disconnected(ImapTransport t, String user, String reason) {
        if (user != null) {
            LOG.info("imap({}): Disconnected: {} in={} out={}", user, reason, t.bytesIn(), t.bytesOut());
        } else {
            LOG.info("imap-login: Disconnected: {}: user=<>, rip={}, lip={}{}", reason, ip(t.remoteAddress()),
                ip(t.localAddress()), t.secured() ? ", TLS" : "");
        }
    }

    static String ip(java.net.InetSocketAddress a) {
        return a == null || a.getAddress() == null ? "" : a.getAddress().getHostAddress();
    }
}
