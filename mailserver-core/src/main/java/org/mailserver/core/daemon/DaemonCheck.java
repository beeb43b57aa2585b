package org.mailserver.core.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.ListenerGroup;
import org.mailserver.core.config.ListenerDefinition;
import org.mailserver.core.tls.CertifiedKey;
import org.mailserver.core.tls.SelfSignedCertificate;
import org.mailserver.core.tls.ServerTls;
import org.mailserver.core.tls.TlsConfig;

/**
 * {@code mailserver check}: what would stop or weaken a start, found without starting: the
 * configuration, the directories and their permissions, the certificates and their expiry. Writes
 * nothing (a missing self-signed certificate is reported, not generated).
 */
public final class DaemonCheck {
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    /** How bad a finding is. */
    public enum Level { OK, WARNING, ERROR }

    public record Finding(Level level, String message) {
        @Override
        public String toString() {
            return (level == Level.OK ? "ok" : level == Level.WARNING ? "warning" : "error") + ": " + message;
        }
    }

    private DaemonCheck() {
    }

    public static List<Finding> run(Path configDirectory) {
        List<Finding> out = new ArrayList<>();
        DaemonConfig config;
        try {
            config = DaemonConfig.load(configDirectory);
            ListenerGroup.validate(config.listeners(), config.settings(), null);
            out.add(new Finding(Level.OK, "configuration in " + configDirectory + ": " + config.listeners().size() + " listener(s)"));
            for (String warning : config.warnings()) {
                out.add(new Finding(Level.WARNING, warning));
            }
        } catch (ConfigException e) {
            out.add(new Finding(Level.ERROR, e.getMessage()));
            return out;
        }
        Settings settings = config.settings();
        directory(out, "data_directory", settings.getPath("data_directory"), true);
        directory(out, "queue_directory", settings.getPath("queue_directory"), false);
        Set<TlsConfig> tlsConfigs = new LinkedHashSet<>();
        for (ListenerDefinition spec : config.listeners()) {
            try {
                tlsConfigs.add(TlsConfig.from(spec.settings(settings)));
            } catch (ConfigException e) { // e.g. tls_provider = openssl where it does not load
                out.add(new Finding(Level.ERROR, e.getMessage()));
                return out;
            }
        }
        for (TlsConfig tls : tlsConfigs) {
            certificates(out, tls);
        }
        return out;
    }

    private static void directory(List<Finding> out, String name, Path dir, boolean private_) {
        if (!Files.exists(dir)) {
            out.add(new Finding(Level.WARNING, name + " " + dir + " does not exist yet (start creates it)"));
            return;
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            out.add(new Finding(Level.ERROR, name + " " + dir + " is not a writable directory for this user"));
            return;
        }
        if (private_ && openToOthers(dir)) {
            out.add(new Finding(Level.WARNING, name + " " + dir + " is accessible by group or others; chmod 700 it"));
            return;
        }
        out.add(new Finding(Level.OK, name + " " + dir));
    }

    private static void certificates(List<Finding> out, TlsConfig tls) {
        if (tls.selfSigned()) {
            Path cert = SelfSignedCertificate.certFile(tls.dataDirectory());
            out.add(new Finding(Level.WARNING, "no certificate configured: using a self-signed one for " + tls.hostname()
                + " (" + (Files.exists(cert) ? cert : "generated at start") + "); clients will not trust it"));
            return;
        }
        List<CertifiedKey> keys;
        try {
            keys = new ServerTls(tls).certificates();
        } catch (ConfigException e) {
            out.add(new Finding(Level.ERROR, e.getMessage()));
            return;
        }
        for (CertifiedKey key : keys) {
            Instant notAfter = key.leaf().getNotAfter().toInstant();
            String what = "certificate " + key.dnsNames() + " from " + key.source();
            if (notAfter.isBefore(Instant.now())) {
                out.add(new Finding(Level.ERROR, what + " expired on " + notAfter));
            } else if (notAfter.isBefore(Instant.now().plus(EXPIRY_WARNING))) {
                out.add(new Finding(Level.WARNING, what + " expires soon, on " + notAfter));
            } else {
                out.add(new Finding(Level.OK, what + " valid until " + notAfter));
            }
        }
        if (tls.keyFile() != null && openToOthers(tls.keyFile())) {
            out.add(new Finding(Level.WARNING, "private key " + tls.keyFile() + " is readable by group or others; chmod 600 it"));
        }
    }

    private static boolean openToOthers(Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.OTHERS_EXECUTE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                    && Files.isDirectory(p);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
