package org.mailserver.core.tls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailserver.core.config.ConfigException;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.HostIdentity;

/**
 * Which certificate files one listener uses, resolved from its settings. Two listeners with equal
 * TlsConfigs share one {@link ServerTls}.
 *
 * @param certFile      smtpd_tls_cert_file (or Dovecot's ssl_cert), null when not set
 * @param keyFile       smtpd_tls_key_file (or ssl_key), null when not set
 * @param chainFiles    smtpd_tls_chain_files
 * @param dataDirectory where the self-signed certificate lives
 * @param hostname      myhostname, the name the self-signed certificate is made for
 * @param library       tls_provider: OpenSSL or the JDK
 */
public record TlsConfig(Path certFile, Path keyFile, List<Path> chainFiles, Path dataDirectory, String hostname,
                        TlsLibrary library) {

    /** A configuration with {@code tls_provider = auto}. */
    public TlsConfig(Path certFile, Path keyFile, List<Path> chainFiles, Path dataDirectory, String hostname) {
        this(certFile, keyFile, chainFiles, dataDirectory, hostname, TlsLibrary.AUTO);
    }

    public static TlsConfig from(Settings settings) {
        Path cert = path(settings, "smtpd_tls_cert_file");
        Path key;
        if (cert != null) {
            key = path(settings, "smtpd_tls_key_file"); // defaults to $smtpd_tls_cert_file
        } else {
            cert = path(settings, "ssl_cert");
            key = path(settings, "ssl_key");
        }
        if (cert == null && settings.isExplicit("smtpd_tls_key_file")) {
            throw new ConfigException("smtpd_tls_key_file is set but smtpd_tls_cert_file is empty");
        }
        if (key == null) {
            key = cert;
        }
        List<Path> chain = new ArrayList<>();
        for (String f : settings.getList("smtpd_tls_chain_files")) {
            chain.add(resolve(settings, f));
        }
        return new TlsConfig(cert, key, List.copyOf(chain),
            settings.getPath("data_directory"), HostIdentity.myhostname(settings), TlsLibrary.from(settings));
    }

    /** True when no certificate is configured and a self-signed one is used. */
    public boolean selfSigned() {
        return certFile == null && chainFiles.isEmpty();
    }

    /** Every configured file, for change detection. */
    public List<Path> files() {
        List<Path> all = new ArrayList<>();
        if (certFile != null) {
            all.add(certFile);
            if (!keyFile.equals(certFile)) {
                all.add(keyFile);
            }
        }
        all.addAll(chainFiles);
        return all;
    }

    private static Path path(Settings settings, String name) {
        String value = settings.getString(name).trim();
        return value.isEmpty() ? null : resolve(settings, value);
    }

    private static Path resolve(Settings settings, String value) {
        String file = value.startsWith("<") ? value.substring(1).trim() : value; // Dovecot's "<file" form
        Path p = Path.of(file);
        return p.isAbsolute() || settings.configDirectory() == null ? p : settings.configDirectory().resolve(p);
    }
}
