package org.mailserver.smtp;

import org.mailserver.core.config.Settings;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;
import org.mailserver.smtp.policy.OpenRelayCheck;
import org.mailserver.smtp.session.SessionConfig;

/**
 * Checks main.cf's SMTP settings at daemon start and reload, so that a broken restriction list or an
 * open relay stops the start (or the reload) with a clear message instead of surfacing at the first
 * connection. Per-listener {@code -o} overrides are checked again when the listener serves.
 */
public final class SmtpModule implements DaemonModule {
    @Override
    public int order() {
        return 500;
    }

    @Override
    public void start(Settings settings, Services services) {
        check(settings);
    }

    @Override
    public void reload(Settings settings, Services services) {
        check(settings);
    }

    private static void check(Settings settings) {
        SessionConfig config = SessionConfig.from(settings, "smtp");
        OpenRelayCheck.verify(config.settings(), "main.cf");
    }
}
