package org.mailserver.core.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.mailserver.core.auth.db.AuthBackendException;
import org.mailserver.core.auth.db.AuthDrivers;
import org.mailserver.core.auth.db.PassDb;
import org.mailserver.core.auth.db.PasswdFileEditor;
import org.mailserver.core.auth.db.PasswdFilePassDb;
import org.mailserver.core.auth.db.UserDb;
import org.mailserver.core.auth.db.UserVariables;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the auth layer (order 100, before the store and the listeners): builds the passdb and userdb from
 * {@code passdb}/{@code userdb}, creates the {@code demo_user} if asked, and registers the {@link AuthService}.
 * Passwd-files reload by themselves when they change; a configuration reload swaps in a new engine (the
 * guessing-protection counters start afresh). Stop shuts the worker and delay pools down.
 */
public final class AuthDaemonModule implements DaemonModule {
    private static final Logger LOG = LoggerFactory.getLogger(AuthDaemonModule.class);
    private static final String PASSWORD_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private DefaultAuthService service;

    @Override
    public int order() {
        return 100;
    }

    @Override
    public void start(Settings settings, Services services) throws Exception {
        service = new DefaultAuthService(build(settings), settings.getString("myhostname"));
        services.register(AuthService.class, service);
    }

    @Override
    public void reload(Settings settings, Services services) throws Exception {
        AuthEngine old = service.swap(build(settings));
        old.close();
    }

    @Override
    public void stop() {
        if (service != null) {
            service.engine().close();
        }
    }

    /** Builds an engine from the settings; throws ConfigException for bad values. */
    static AuthEngine build(Settings settings) throws IOException {
        return build(settings, AuthConfig.from(settings), true);
    }

    /** Builds an engine with an explicit config; {@code daemon} false for admin tools (no demo user). */
    public static AuthEngine build(Settings settings, AuthConfig config, boolean daemon) throws IOException {
        PasswordSchemes schemes = PasswordSchemes.standard();
        PassDb passDb = AuthDrivers.passDb(settings.getString("passdb"), settings.configDirectory(), schemes);
        UserDb userDb = AuthDrivers.userDb(settings.getString("userdb"), settings.configDirectory(), schemes, passDb);
        String masterSpec = settings.getString("auth_master_passdb").trim();
        MasterUsers masters = null;
        if (!masterSpec.isEmpty()) {
            masters = new MasterUsers(settings.getString("auth_master_user_separator").trim(),
                AuthDrivers.passDb(masterSpec, settings.configDirectory(), schemes));
        } else if (!settings.getString("auth_master_user_separator").isBlank()) {
            throw new ConfigException("auth_master_user_separator: needs auth_master_passdb");
        }
        String demo = settings.getString("demo_user").trim();
        if (daemon && !demo.isEmpty()) {
            createDemoUser(demo, passDb, config, schemes);
        }
        if (daemon) {
            preload(passDb);
        }
        return new AuthEngine(config, passDb, userDb, schemes, masters);
    }

    /** Adds the demo user with a random password unless the passwd-file has it; prints the password once. */
    static String createDemoUser(String demo, PassDb passDb, AuthConfig config, PasswordSchemes schemes) throws IOException {
        if (!(passDb instanceof PasswdFilePassDb p) || UserVariables.hasVariables(p.source().template())) {
            throw new ConfigException("demo_user: needs passdb = passwd-file:PATH with a fixed path");
        }
        PasswdFileEditor.checkUserName(demo);
        PasswdFileEditor editor = new PasswdFileEditor(p.source().pathFor(demo));
        if (editor.contains(demo)) {
            return null;
        }
        StringBuilder password = new StringBuilder();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 16; i++) {
            password.append(PASSWORD_CHARS.charAt(random.nextInt(PASSWORD_CHARS.length())));
        }
        String hash = schemes.generate(config.generateScheme(), password.toString(), config.costs());
        try {
            editor.add(demo, hash, "");
        } catch (IllegalArgumentException raced) {
            return null; // added concurrently by someone else: keep theirs
        }
        String line = "demo user " + demo + " created with password: " + password;
        LOG.warn(line);
        System.out.println(line);
        return password.toString();
    }

    /** Loads a fixed-path passwd-file now, so malformed lines are reported at start rather than at first login. */
    private static void preload(PassDb passDb) {
        if (passDb instanceof PasswdFilePassDb p && !UserVariables.hasVariables(p.source().template())) {
            Path path = p.source().pathFor("");
            try {
                p.source().current(path);
            } catch (AuthBackendException e) {
                LOG.warn("{} (logins will fail temporarily until it exists)", e.getMessage());
            }
        }
    }
}
